import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { TimerWheel, WheelTimer } from '../src/timer-wheel'

interface Run {
  now: number
  late: number
}

/** A timer on `wheel` that records when it ran. */
function recorder(wheel: TimerWheel): { timer: WheelTimer; runs: Run[] } {
  const runs: Run[] = []
  const timer = new WheelTimer(wheel, (now, late) => runs.push({ now, late }))
  return { timer, runs }
}

let wheel: TimerWheel

beforeEach(() => {
  vi.useFakeTimers()
  wheel = new TimerWheel()
})

afterEach(() => {
  const left = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  expect(left, 'timers left at the end of the test').toBe(0)
})

describe('when a timer runs', () => {
  test('with a slack under 2 ms, at its due time exactly', async () => {
    const { timer, runs } = recorder(wheel)
    const due = Date.now() + 100
    timer.schedule(due, 0)
    expect(timer.scheduled).toBe(true)
    await vi.advanceTimersByTimeAsync(99)
    expect(runs).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(runs).toEqual([{ now: due, late: 0 }])
    expect(timer.scheduled).toBe(false)
  })

  test('never before its due time, and at most `slack` ms after it', async () => {
    // Due times and slacks that fall on every phase of the grids.
    for (let i = 0; i < 200; i++) {
      const { timer, runs } = recorder(wheel)
      const slack = [1, 3, 8, 100, 273, 1000, 4096][i % 7]!
      const due = Date.now() + 1 + ((i * 37) % 997)
      timer.schedule(due, slack)
      await vi.advanceTimersByTimeAsync(due + slack - Date.now())
      expect(runs, `due ${due}, slack ${slack}`).toHaveLength(1)
      expect(runs[0]!.now, `due ${due}, slack ${slack}`).toBeGreaterThanOrEqual(due)
      expect(runs[0]!.now, `due ${due}, slack ${slack}`).toBeLessThanOrEqual(due + slack)
    }
  })

  test('timers due within one slack of each other run in the same wake-up, on one process timer', async () => {
    const timers = Array.from({ length: 100 }, () => recorder(wheel))
    const start = Date.now()
    // Every due time in a window of 256 ms, each with a slack of 256 ms: one grid slot of 256 ms at most two.
    timers.forEach(({ timer }, i) => {
      timer.schedule(start + 1000 + ((i * 7) % 256), 256)
    })
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(2000)
    const wakeUps = new Set(timers.map(({ runs }) => runs[0]!.now))
    expect(timers.every(({ runs }) => runs.length === 1)).toBe(true)
    expect(wakeUps.size).toBeLessThanOrEqual(2)
  })

  test('timers with different slacks share slots, since the grids nest', async () => {
    const coarse = recorder(wheel)
    const fine = recorder(wheel)
    const start = Math.ceil(Date.now() / 1024) * 1024
    vi.setSystemTime(start)
    coarse.timer.schedule(start + 1, 1024)
    fine.timer.schedule(start + 1000, 64)
    await vi.advanceTimersByTimeAsync(1024)
    expect(coarse.runs.map((run) => run.now)).toEqual([start + 1024])
    expect(fine.runs.map((run) => run.now)).toEqual([start + 1024])
  })

  test('runs slots in order of time', async () => {
    const order: string[] = []
    const start = Date.now()
    const late = new WheelTimer(wheel, () => order.push('late'))
    const early = new WheelTimer(wheel, () => order.push('early'))
    late.schedule(start + 20, 0)
    early.schedule(start + 10, 0)
    // Both are overdue when the wheel wakes up (the process was busy meanwhile).
    vi.setSystemTime(start + 50)
    await vi.advanceTimersByTimeAsync(10)
    expect(order).toEqual(['early', 'late'])
  })

  test('reports how late a timer ran after its slot (a machine that slept)', async () => {
    const { timer, runs } = recorder(wheel)
    const due = Date.now() + 1000
    timer.schedule(due, 0)
    vi.setSystemTime(Date.now() + 60_000)
    await vi.advanceTimersByTimeAsync(1000)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.late).toBe(61_000 - 1000)
  })

  test('a due time beyond setTimeout’s range is reached in several steps', async () => {
    const { timer, runs } = recorder(wheel)
    const due = Date.now() + 2 ** 31 + 5000
    timer.schedule(due, 0)
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1)
    expect(runs).toEqual([])
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(5001)
    expect(runs.map((run) => run.now)).toEqual([due])
  })
})

describe('scheduling again and cancelling', () => {
  test('scheduling again replaces the earlier schedule, earlier or later', async () => {
    const { timer, runs } = recorder(wheel)
    const start = Date.now()
    timer.schedule(start + 100, 0)
    timer.schedule(start + 50, 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(runs.map((run) => run.now)).toEqual([start + 50])

    const moved = recorder(wheel)
    const now = Date.now()
    moved.timer.schedule(now + 50, 0)
    moved.timer.schedule(now + 300, 0)
    await vi.advanceTimersByTimeAsync(299)
    expect(moved.runs).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(moved.runs.map((run) => run.now)).toEqual([now + 300])
  })

  test('a cancelled timer does not run; cancelling twice or before scheduling does nothing', async () => {
    const { timer, runs } = recorder(wheel)
    timer.cancel()
    timer.schedule(Date.now() + 10, 0)
    timer.cancel()
    timer.cancel()
    expect(timer.scheduled).toBe(false)
    await vi.advanceTimersByTimeAsync(100)
    expect(runs).toEqual([])
  })

  test('one process timer at most, and none once nothing is scheduled', async () => {
    const timers = Array.from({ length: 10 }, () => recorder(wheel))
    timers.forEach(({ timer }, i) => {
      timer.schedule(Date.now() + 100 * (i + 1), 0)
    })
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(350)
    expect(vi.getTimerCount()).toBe(1)
    expect(timers.map(({ timer }) => timer.scheduled)).toEqual([false, false, false, ...Array(7).fill(true)])
    for (const { timer } of timers) timer.cancel()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(1000)
    expect(timers.map(({ runs }) => runs.length)).toEqual([1, 1, 1, ...Array(7).fill(0)])

    const last = recorder(wheel)
    last.timer.schedule(Date.now() + 10, 0)
    await vi.advanceTimersByTimeAsync(10)
    expect(last.runs).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('cancelling the earliest timer leaves the later ones on time', async () => {
    const first = recorder(wheel)
    const second = recorder(wheel)
    const start = Date.now()
    first.timer.schedule(start + 100, 0)
    second.timer.schedule(start + 500, 0)
    first.timer.cancel()
    await vi.advanceTimersByTimeAsync(499)
    expect(second.runs).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(second.runs.map((run) => run.now)).toEqual([start + 500])
    expect(first.runs).toEqual([])
  })
})

describe('callbacks', () => {
  test('a callback may cancel a timer of the same slot that has not run yet', async () => {
    const due = Date.now() + 100
    const victim = recorder(wheel)
    const killer = new WheelTimer(wheel, () => victim.timer.cancel())
    killer.schedule(due, 0)
    victim.timer.schedule(due, 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(victim.runs).toEqual([])
  })

  test('a callback may move a timer of the same slot to later', async () => {
    const due = Date.now() + 100
    const moved = recorder(wheel)
    const mover = new WheelTimer(wheel, () => moved.timer.schedule(due + 400, 0))
    mover.schedule(due, 0)
    moved.timer.schedule(due, 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(moved.runs).toEqual([])
    await vi.advanceTimersByTimeAsync(300)
    expect(moved.runs.map((run) => run.now)).toEqual([due + 400])
  })

  test('a callback that schedules its own timer for now runs again in the next wake-up, not in a loop', async () => {
    let calls = 0
    const timer: WheelTimer = new WheelTimer(wheel, (now) => {
      calls++
      if (calls < 1000) timer.schedule(now, 0)
    })
    timer.schedule(Date.now() + 10, 0)
    await vi.advanceTimersByTimeAsync(10)
    expect(calls).toBeGreaterThanOrEqual(1)
    expect(calls).toBeLessThan(1000)
    timer.cancel()
  })

  test('a callback scheduling a later timer does not delay an earlier one already waiting', async () => {
    const start = Date.now()
    const waiting = recorder(wheel)
    const later = recorder(wheel)
    waiting.timer.schedule(start + 200, 0)
    const first = new WheelTimer(wheel, () => later.timer.schedule(start + 5000, 0))
    first.schedule(start + 100, 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(waiting.runs.map((run) => run.now)).toEqual([start + 200])
    later.timer.cancel()
  })

  test('a callback that throws is reported, and the other timers still run', async () => {
    const reported: unknown[] = []
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error))
    const due = Date.now() + 100
    const failure = new Error('listener failed')
    const before = recorder(wheel)
    const thrower = new WheelTimer(wheel, () => {
      throw failure
    })
    const after = recorder(wheel)
    before.timer.schedule(due, 0)
    thrower.schedule(due, 0)
    after.timer.schedule(due, 0)
    const next = recorder(wheel)
    next.timer.schedule(due + 100, 0)
    await vi.advanceTimersByTimeAsync(200)
    expect(reported).toEqual([failure])
    expect(before.runs).toHaveLength(1)
    expect(after.runs).toHaveLength(1)
    expect(next.runs).toHaveLength(1)
  })
})

describe('test fake timers', () => {
  test('drive the wheel: it uses the setTimeout installed when it arms, not one captured earlier', async () => {
    vi.useRealTimers()
    const { timer, runs } = recorder(wheel)
    // Armed under real timers...
    const due = Date.now() + 60_000
    timer.schedule(due, 0)
    // ...then fake timers come: the wheel arms again under them when scheduling, for its earliest slot.
    vi.useFakeTimers({ now: Date.now() })
    const fake = recorder(wheel)
    fake.timer.schedule(due + 60_000, 0)
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(due - Date.now())
    expect(runs.map((run) => run.now)).toEqual([due])
    expect(fake.runs).toEqual([])
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.runs.map((run) => run.now)).toEqual([due + 60_000])
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('in a browser', () => {
  test('clearTimeout is called as a plain function, as browsers require ("Illegal invocation" otherwise)', async () => {
    const fakeClear = globalThis.clearTimeout
    const strictClear = function (this: unknown, handle: ReturnType<typeof setTimeout>) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      fakeClear(handle)
    }
    vi.stubGlobal('clearTimeout', strictClear)
    const { timer, runs } = recorder(wheel)
    const start = Date.now()
    timer.schedule(start + 100, 0)
    // An earlier timer re-arms the wheel: the pending setTimeout is cleared first.
    const early = recorder(wheel)
    early.timer.schedule(start + 10, 0)
    await vi.advanceTimersByTimeAsync(100)
    expect(early.runs).toHaveLength(1)
    expect(runs).toHaveLength(1)
  })
})
