import { provideZonelessChangeDetection } from '@angular/core'
import { TestBed } from '@angular/core/testing'
import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { SERVER_URL } from './server-url'
import { WEBSOCKET_IMPL } from './ticker.service'

/** The test module: zoneless, a made-up server address, and the scripted WebSocket from @lifeline/testing. */
export function configureTicker(): void {
  FakeWebSocket.reset()
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      { provide: SERVER_URL, useValue: 'ws://ticker.test' },
      { provide: WEBSOCKET_IMPL, useValue: FakeWebSocket },
    ],
  })
}

/** A ticker message as the example server sends it. */
export const tick = (seq: number, price = 100 + seq / 100) =>
  JSON.stringify({ seq, price, at: 1_700_000_000_000 + seq })

/** Lets lifeline go on: create its socket (it resolves the URL first), finish an opening handshake. */
export const settle = () => vi.advanceTimersByTimeAsync(0)

/** The scripted server accepts the connection; resolves once lifeline has opened (its handshake is async). */
export async function accept(ws: FakeWebSocket): Promise<void> {
  ws.open()
  await settle()
}
