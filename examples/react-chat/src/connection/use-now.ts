import { useEffect, useState } from 'react'

/** The current time, refreshed every `every` ms while `ticking` (for a countdown); still otherwise. */
export function useNow(ticking: boolean, every = 100): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), every)
    return () => clearInterval(timer)
  }, [ticking, every])
  return now
}
