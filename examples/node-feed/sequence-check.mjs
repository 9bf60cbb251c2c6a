/**
 * Checks that a feed's sequence numbers arrive one after another: counts gaps (numbers skipped) and duplicates
 * (a number at or below the last one seen, i.e. repeated or out of order).
 */
export class SequenceCheck {
  /** The first number seen. */
  first
  /** The highest number seen: what a resumed connection asks to continue after. */
  last
  received = 0
  gaps = 0
  /** How many numbers the gaps skipped in all. */
  missing = 0
  duplicates = 0

  /** Records `seq`; returns `'first'`, `'next'`, `'gap'` or `'duplicate'`. */
  add(seq) {
    this.received++
    if (this.last === undefined) {
      this.first = seq
      this.last = seq
      return 'first'
    }
    if (seq <= this.last) {
      this.duplicates++
      return 'duplicate'
    }
    const skipped = seq - this.last - 1
    this.last = seq
    if (skipped === 0) return 'next'
    this.gaps++
    this.missing += skipped
    return 'gap'
  }
}
