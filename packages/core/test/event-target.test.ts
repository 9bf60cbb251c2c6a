import { describe, expect, test } from 'vitest'
import { SocketCloseEvent, SocketErrorEvent, SocketMessageEvent, SocketOpenEvent } from '../src'
import { WebSocketEventTarget } from '../src/event-target'

function messageOf(target: WebSocketEventTarget, data: unknown = 'hello'): SocketMessageEvent {
  return new SocketMessageEvent(data, target)
}

/** A listener that records its name in `calls` each time it runs. */
function recorder(calls: string[], name: string): (event: unknown) => void {
  return () => {
    calls.push(name)
  }
}

describe('handler properties', () => {
  test('read back null before any handler is set', () => {
    const target = new WebSocketEventTarget()
    expect(target.onopen).toBeNull()
    expect(target.onmessage).toBeNull()
    expect(target.onclose).toBeNull()
    expect(target.onerror).toBeNull()
  })

  test('each property reads back its function and runs only for its own event type', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const onopen = recorder(calls, 'open')
    const onmessage = recorder(calls, 'message')
    const onclose = recorder(calls, 'close')
    const onerror = recorder(calls, 'error')
    target.onopen = onopen
    target.onmessage = onmessage
    target.onclose = onclose
    target.onerror = onerror
    expect(target.onopen).toBe(onopen)
    expect(target.onmessage).toBe(onmessage)
    expect(target.onclose).toBe(onclose)
    expect(target.onerror).toBe(onerror)

    target.emit('error', new SocketErrorEvent(target, new Error('boom')))
    target.emit('message', messageOf(target))
    target.emit('close', new SocketCloseEvent(target, { code: 1006, reason: '', wasClean: false, willReconnect: true }))
    target.emit('open', new SocketOpenEvent(target, 0, false))
    expect(calls).toEqual(['error', 'message', 'close', 'open'])
  })

  test('a handler receives the dispatched event object with this bound to the target', () => {
    const target = new WebSocketEventTarget()
    const seen: { self: unknown; event: unknown }[] = []
    target.onmessage = function (this: unknown, event) {
      seen.push({ self: this, event })
    }
    const event = messageOf(target)
    target.emit('message', event)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.self).toBe(target)
    expect(seen[0]!.event).toBe(event)
  })

  test('a handler and the same function added with addEventListener both run: twice in all', () => {
    const target = new WebSocketEventTarget()
    const received: unknown[] = []
    const fn = (event: SocketMessageEvent) => {
      received.push(event)
    }
    target.onmessage = fn
    target.addEventListener('message', fn)
    const event = messageOf(target)
    target.emit('message', event)
    expect(received).toEqual([event, event])
    expect(received[0]).toBe(event)
    expect(received[1]).toBe(event)

    // Removing the listener leaves the handler, and clearing the handler leaves nothing.
    target.removeEventListener('message', fn)
    target.emit('message', event)
    expect(received).toHaveLength(3)
    target.onmessage = null
    target.emit('message', event)
    expect(received).toHaveLength(3)
  })

  test('setting a handler first, then adding the same function as a listener, then the reverse order', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const fn = () => {
      count++
    }
    target.addEventListener('message', fn)
    target.onmessage = fn
    target.emit('message', messageOf(target))
    expect(count).toBe(2)
    // Clearing the handler does not remove the listener added with addEventListener.
    target.onmessage = null
    target.emit('message', messageOf(target))
    expect(count).toBe(3)
  })

  test('replacing a handler keeps its place among the listeners added before and after it', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    target.addEventListener('message', recorder(calls, 'before'))
    target.onmessage = recorder(calls, 'first handler')
    target.addEventListener('message', recorder(calls, 'after'))
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['before', 'first handler', 'after'])

    calls.length = 0
    const second = recorder(calls, 'second handler')
    target.onmessage = second
    expect(target.onmessage).toBe(second)
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['before', 'second handler', 'after'])
  })

  test('setting a handler to null removes it; setting one again later puts it at the end', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    target.addEventListener('message', recorder(calls, 'a'))
    target.onmessage = recorder(calls, 'handler')
    target.addEventListener('message', recorder(calls, 'b'))

    target.onmessage = null
    expect(target.onmessage).toBeNull()
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['a', 'b'])

    calls.length = 0
    target.onmessage = recorder(calls, 'handler again')
    target.addEventListener('message', recorder(calls, 'c'))
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['a', 'b', 'handler again', 'c'])
  })

  test('non-function values read back as null and remove the handler', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    for (const value of ['not a function', 42, {}, { handleEvent() {} }, true, undefined]) {
      target.onmessage = recorder(calls, 'handler')
      target.onmessage = value as never
      expect(target.onmessage).toBeNull()
      target.emit('message', messageOf(target))
    }
    expect(calls).toEqual([])
    expect(target.listenerCount('message')).toBe(0)
  })

  test('a non-function value on an empty property stays null and registers nothing', () => {
    const target = new WebSocketEventTarget()
    target.onclose = 'oops' as never
    expect(target.onclose).toBeNull()
    expect(target.listenerCount('close')).toBe(0)
  })

  test('a handler takes one listener slot however often it is replaced', () => {
    const target = new WebSocketEventTarget()
    for (let i = 0; i < 5; i++) target.onerror = () => {}
    expect(target.listenerCount('error')).toBe(1)
    target.onerror = null
    expect(target.listenerCount('error')).toBe(0)
  })

  test('a handler replaced while an event is being dispatched: the current one runs for later events', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const second = recorder(calls, 'second')
    target.addEventListener('message', () => {
      calls.push('listener')
      target.onmessage = second
    })
    target.onmessage = recorder(calls, 'first')
    target.emit('message', messageOf(target))
    // The handler's slot calls whatever the property holds when it runs.
    expect(calls).toEqual(['listener', 'second'])
  })
})

describe('addEventListener and removeEventListener', () => {
  test('the same listener added twice runs once; a different function runs as well', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const a = recorder(calls, 'a')
    target.addEventListener('message', a)
    target.addEventListener('message', a)
    target.addEventListener('message', a, { once: true })
    target.addEventListener('message', recorder(calls, 'b'))
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['a', 'b'])
    // The duplicate with { once } was ignored, so `a` stays.
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['a', 'b', 'a', 'b'])
  })

  test('the same function may listen to different event types', () => {
    const target = new WebSocketEventTarget()
    const types: string[] = []
    const fn = (event: { type: string }) => {
      types.push(event.type)
    }
    target.addEventListener('message', fn)
    target.addEventListener('error', fn)
    target.emit('message', messageOf(target))
    target.emit('error', new SocketErrorEvent(target, undefined))
    target.removeEventListener('message', fn)
    target.emit('message', messageOf(target))
    target.emit('error', new SocketErrorEvent(target, undefined))
    expect(types).toEqual(['message', 'error', 'error'])
  })

  test('listeners run in the order they were added, with this bound to the target', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const selves: unknown[] = []
    for (const name of ['1', '2', '3']) {
      target.addEventListener('message', function (this: unknown) {
        calls.push(name)
        selves.push(this)
      })
    }
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['1', '2', '3'])
    expect(selves).toEqual([target, target, target])
  })

  test('{ once: true } runs once and then is gone; it can be added again afterwards', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const fn = () => {
      count++
    }
    target.addEventListener('message', fn, { once: true })
    expect(target.listenerCount('message')).toBe(1)
    target.emit('message', messageOf(target))
    target.emit('message', messageOf(target))
    expect(count).toBe(1)
    expect(target.listenerCount('message')).toBe(0)

    target.addEventListener('message', fn, { once: true })
    target.emit('message', messageOf(target))
    target.emit('message', messageOf(target))
    expect(count).toBe(2)
  })

  test('a { once: true } listener can be removed before it runs', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const fn = () => {
      count++
    }
    target.addEventListener('message', fn, { once: true })
    target.removeEventListener('message', fn)
    target.emit('message', messageOf(target))
    expect(count).toBe(0)
  })

  test('a boolean third argument (capture) adds an ordinary listener', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    target.addEventListener(
      'message',
      () => {
        count++
      },
      true,
    )
    target.emit('message', messageOf(target))
    target.emit('message', messageOf(target))
    expect(count).toBe(2)
  })

  test('an already aborted signal adds nothing', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const controller = new AbortController()
    controller.abort()
    target.addEventListener(
      'message',
      () => {
        count++
      },
      { signal: controller.signal },
    )
    expect(target.listenerCount('message')).toBe(0)
    target.emit('message', messageOf(target))
    expect(count).toBe(0)
  })

  test('aborting the signal removes the listener, and only that one', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const controller = new AbortController()
    target.addEventListener('message', recorder(calls, 'signalled'), { signal: controller.signal })
    target.addEventListener('message', recorder(calls, 'other'))
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['signalled', 'other'])

    controller.abort()
    calls.length = 0
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['other'])
    expect(target.listenerCount('message')).toBe(1)
  })

  test('one signal removes every listener it was given, across event types', () => {
    const target = new WebSocketEventTarget()
    const controller = new AbortController()
    target.addEventListener('message', () => {}, { signal: controller.signal })
    target.addEventListener('close', () => {}, { signal: controller.signal })
    target.addEventListener('error', { handleEvent() {} }, { signal: controller.signal })
    expect(target.listenerCount('message') + target.listenerCount('close') + target.listenerCount('error')).toBe(3)
    controller.abort()
    expect(target.listenerCount('message') + target.listenerCount('close') + target.listenerCount('error')).toBe(0)
  })

  test('a signal removes its own registration only: the same listener added again without it stays', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const listener = recorder(calls, 'listener')
    const controller = new AbortController()
    target.addEventListener('message', listener, { signal: controller.signal })
    target.removeEventListener('message', listener)
    target.addEventListener('message', listener)
    controller.abort()
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['listener'])
  })

  test('{ once, signal } together: the signal removes it before it runs', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const controller = new AbortController()
    target.addEventListener(
      'message',
      () => {
        count++
      },
      { once: true, signal: controller.signal },
    )
    controller.abort()
    target.emit('message', messageOf(target))
    expect(count).toBe(0)
  })

  test('a handleEvent object is called with the event and this bound to the object', () => {
    const target = new WebSocketEventTarget()
    const seen: { self: unknown; event: unknown }[] = []
    const listener = {
      handleEvent(this: unknown, event: unknown) {
        seen.push({ self: this, event })
      },
    }
    target.addEventListener('message', listener)
    const event = messageOf(target)
    target.dispatchEvent(event)
    expect(seen).toEqual([{ self: listener, event }])
    expect(seen[0]!.event).toBe(event)
  })

  test('a handleEvent object added twice is added once, and can be removed', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const listener = {
      handleEvent() {
        count++
      },
    }
    target.addEventListener('message', listener)
    target.addEventListener('message', listener)
    expect(target.listenerCount('message')).toBe(1)
    target.emit('message', messageOf(target))
    expect(count).toBe(1)

    target.removeEventListener('message', listener)
    expect(target.listenerCount('message')).toBe(0)
    target.emit('message', messageOf(target))
    expect(count).toBe(1)
  })

  test('a handleEvent object looks up handleEvent when called, as the platform does', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const listener = { handleEvent: recorder(calls, 'first') }
    target.addEventListener('message', listener)
    listener.handleEvent = recorder(calls, 'second')
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['second'])
  })

  test('two handleEvent objects are distinct listeners', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    target.addEventListener('message', { handleEvent: recorder(calls, 'x') })
    target.addEventListener('message', { handleEvent: recorder(calls, 'y') })
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['x', 'y'])
  })

  test('removing an unknown listener, a null listener, or from a type without listeners is harmless', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    target.addEventListener('message', recorder(calls, 'kept'))
    target.removeEventListener('message', () => {})
    target.removeEventListener('message', { handleEvent() {} })
    target.removeEventListener('message', null)
    target.removeEventListener('close', () => {})
    target.addEventListener('message', null)
    expect(target.listenerCount('message')).toBe(1)
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['kept'])
  })

  test('removeEventListener does not remove the handler property, even for the same function', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const fn = () => {
      count++
    }
    target.onmessage = fn
    target.removeEventListener('message', fn)
    expect(target.onmessage).toBe(fn)
    target.emit('message', messageOf(target))
    expect(count).toBe(1)
  })

  test('a listener removed and added again moves to the end', () => {
    const target = new WebSocketEventTarget()
    const calls: string[] = []
    const a = recorder(calls, 'a')
    target.addEventListener('message', a)
    target.addEventListener('message', recorder(calls, 'b'))
    target.removeEventListener('message', a)
    target.addEventListener('message', a)
    target.emit('message', messageOf(target))
    expect(calls).toEqual(['b', 'a'])
  })
})

describe('dispatching', () => {
  test('dispatchEvent delivers by the event type and returns true', () => {
    const target = new WebSocketEventTarget()
    const received: unknown[] = []
    target.addEventListener('message', (event) => {
      received.push(event)
    })
    target.addEventListener('close', () => {
      received.push('wrong type')
    })
    const event = messageOf(target, 'payload')
    expect(target.dispatchEvent(event)).toBe(true)
    expect(received).toHaveLength(1)
    expect(received[0]).toBe(event)
  })

  test('dispatchEvent with no listeners returns true', () => {
    const target = new WebSocketEventTarget()
    expect(target.dispatchEvent(messageOf(target))).toBe(true)
  })

  test('on() and addEventListener listeners and the handler receive the same event object', () => {
    const target = new WebSocketEventTarget()
    const received: unknown[] = []
    target.on('close', (event) => {
      received.push(event)
    })
    target.addEventListener('close', (event) => {
      received.push(event)
    })
    target.onclose = (event) => {
      received.push(event)
    }
    const event = new SocketCloseEvent(target, { code: 1000, reason: 'bye', wasClean: true, willReconnect: false })
    target.emit('close', event)
    expect(received).toHaveLength(3)
    for (const got of received) expect(got).toBe(event)
    expect(event.code).toBe(1000)
    expect(event.reason).toBe('bye')
  })

  test('a function added with on() is not added again by addEventListener', () => {
    const target = new WebSocketEventTarget()
    let count = 0
    const fn = () => {
      count++
    }
    target.on('message', fn)
    target.addEventListener('message', fn)
    target.emit('message', messageOf(target))
    expect(count).toBe(1)
    // removeEventListener also removes what on() added.
    target.removeEventListener('message', fn)
    target.emit('message', messageOf(target))
    expect(count).toBe(1)
  })
})
