// Small numeric helpers shared by the benchmark cases.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export const MB = 1024 * 1024

/** `12.3 MB` */
export function formatMB(bytes) {
  return `${(bytes / MB).toFixed(1)} MB`
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** `{ median, min, max, runs }` of a list of numbers (`runs` keeps them in the order measured). */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] }
}

/** `123 (101–130)`: a summary's median and range, with `digits` decimals. */
export function formatSummary({ median: middle, min, max }, digits = 0) {
  return `${middle.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`
}
