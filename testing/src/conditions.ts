/**
 * Waits for conditions on state that changes in event handlers: `wait()` resolves once its condition holds (checked
 * at every `check()`), or rejects after `ms`. A bound, never a sleep.
 */
export class Conditions {
  private waiters: (() => void)[] = []

  constructor(private readonly owner: string) {}

  wait(condition: () => boolean, ms: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check)
        reject(new Error(`${this.owner}: ${what} not reached within ${ms} ms`))
      }, ms)
      const check = () => {
        if (!condition()) return
        clearTimeout(timer)
        this.waiters = this.waiters.filter((w) => w !== check)
        resolve()
      }
      this.waiters.push(check)
    })
  }

  /** Something changed: settle the waits whose condition now holds. */
  check(): void {
    for (const waiter of [...this.waiters]) waiter()
  }
}
