/** Every bucket start in [from, to), oldest first, each with its point or an empty one. */
export function fillBuckets<T extends { bucket: number }>(
  points: readonly T[],
  from: number,
  to: number,
  bucketMs: number,
  empty: (bucket: number) => T,
): T[] {
  const byBucket = new Map(points.map((point) => [point.bucket, point]));
  const filled: T[] = [];
  for (let bucket = Math.floor(from / bucketMs) * bucketMs; bucket < to; bucket += bucketMs) {
    filled.push(byBucket.get(bucket) ?? empty(bucket));
  }
  return filled;
}
