/** Events per `bucket` ms from `from`, over `span` ms: `[count in the first bucket, in the second, …]`. */
export function bucketCounts(times, from, span, bucket = 100) {
  const counts = new Array(Math.ceil(span / bucket)).fill(0)
  for (const at of times) {
    const index = Math.floor((at - from) / bucket)
    if (index >= 0 && index < counts.length) counts[index]++
  }
  return counts
}
