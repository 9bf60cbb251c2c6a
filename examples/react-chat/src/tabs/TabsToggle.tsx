/** The switch between a connection per tab and one connection for all tabs (`?tabs=1`). */
export function TabsToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="tabs-toggle">
      <input
        type="checkbox"
        data-testid="tabs-toggle"
        checked={on}
        onChange={(event) => onChange(event.target.checked)}
      />
      one connection for all tabs
    </label>
  )
}
