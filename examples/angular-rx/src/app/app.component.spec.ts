import { TestBed } from '@angular/core/testing'
import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { AppComponent } from './app.component'
import { accept, configureTicker, settle, tick } from './testing'
import { TickerService } from './ticker.service'

describe('AppComponent', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    configureTicker()
  })

  afterEach(() => {
    TestBed.inject(TickerService).close()
    vi.useRealTimers()
  })

  it('shows the live price, its seq and the connection state, and follows a reconnection', async () => {
    const fixture = TestBed.createComponent(AppComponent)
    const page = fixture.nativeElement as HTMLElement
    const text = (id: string) => page.querySelector(`[data-testid="${id}"]`)?.textContent?.trim()
    // Fake timers hold Angular's scheduler: render explicitly after each step.
    const render = async () => {
      await settle()
      fixture.detectChanges()
    }
    await render()
    expect(page.textContent).toContain('Waiting for the first price')

    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    ws.receive(tick(41, 101.5))
    ws.receive(tick(42, 102.25))
    await render()
    expect(text('state')).toBe('open')
    expect(text('price')).toBe('102.25')
    expect(text('seq')).toBe('seq 42')
    expect(page.querySelectorAll('.recent li').length).toBe(2)

    expect(text('opens')).toBe('')

    ws.serverClose(1012, 'service restart')
    await render()
    expect(text('state')).toBe('reconnecting · last close 1012 service restart')
    expect(text('price')).toBe('102.25')

    await vi.advanceTimersByTimeAsync(2000)
    const again = FakeWebSocket.last()
    expect(again.url).toBe('ws://ticker.test/ticker?since=42')
    await accept(again)
    again.receive(tick(43, 99))
    await render()
    expect(text('state')).toBe('open')
    expect(text('opens')).toBe('reconnected 1×')
    expect(text('price')).toBe('99.00')
    expect(text('seq')).toBe('seq 43')
  })
})
