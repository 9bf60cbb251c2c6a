/**
 * A deterministic source of numbers in [0, 1) for tests: a 32-bit linear congruential generator. Two generators
 * made with the same seed return the same sequence, so a test can predict what the code under test will draw.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 4294967296
  }
}
