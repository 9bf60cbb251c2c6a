// rxjs's call shape: `webSocket<T>(url)` gives a subject of T.
import { webSocket } from '@lifeline/rx'

interface Tick {
  symbol: string
  price: number
}

const ticks = webSocket<Tick>('wss://example.test/ticks')
const subscription = ticks.subscribe((tick) => {
  const price: number = tick.price
  return price
})
ticks.next({ symbol: 'ABC', price: 1 })
subscription.unsubscribe()
