/** Whether the page asks for one connection shared by all its tabs: `?tabs=1` in its address. */
export function tabsMode(search: string): boolean {
  const value = new URLSearchParams(search).get('tabs')
  return value === '1' || value === 'true'
}

/** The page address `href` with `tabs=1` when `on`, without the `tabs` parameter otherwise; the rest is kept. */
export function withTabsMode(href: string, on: boolean): string {
  const url = new URL(href)
  if (on) url.searchParams.set('tabs', '1')
  else url.searchParams.delete('tabs')
  return url.href
}
