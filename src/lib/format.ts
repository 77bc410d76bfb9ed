const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "1,234"; null and undefined become an em dash. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : countFormat.format(value);
}

/** "0.4", "12.3", "1,024"; one decimal at most. */
export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : decimalFormat.format(value);
}

/** "0.42 ms", "237 ms", "1.24 s"; null (no calls) is an em dash. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 10) return `${ms.toFixed(ms === Math.round(ms) ? 0 : 2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A ratio as a percentage: 0 → "0%", 0.0004 → "0.04%", 0.0123 → "1.23%", 0.5 → "50.0%". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return "—";
  if (ratio === 0) return "0%";
  const percent = ratio * 100;
  if (percent < 0.01) return "<0.01%";
  return `${percent.toFixed(percent < 10 ? 2 : 1)}%`;
}

/** Seconds as "0.4 s", "42 s", "3.5 min". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

/** "over 100 ms, 10 database calls or 10,000 documents scanned": the slow-call rule in words. */
export function describeSlowThresholds(slow: {
  durationMs: number;
  dbCalls: number;
  docsScanned: number;
}): string {
  return `over ${formatCount(slow.durationMs)} ms, ${formatCount(slow.dbCalls)} database calls or ${formatCount(slow.docsScanned)} documents scanned`;
}

/** "512 B", "3.4 KB", "12.0 MB", "1.20 GB" (decimal units, as Convex's dashboard shows sizes). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1000) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit >= 2 ? 2 : 1)} ${units[unit]}`;
}

/** "1 entry", "3 entries": a count with its noun, singular only for exactly one. */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
