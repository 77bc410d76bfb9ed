/** A function page's ranges: minute buckets for an hour, hour buckets beyond (≤ 721 rows a chart). */
import { HOUR_MS } from "../../metrics/shared";

export const FUNCTION_RANGES = {
  "1h": { ms: HOUR_MS, granularity: "minute" },
  "24h": { ms: 24 * HOUR_MS, granularity: "hour" },
  "7d": { ms: 7 * 24 * HOUR_MS, granularity: "hour" },
  "30d": { ms: 30 * 24 * HOUR_MS, granularity: "hour" },
} as const;
export type FunctionRange = keyof typeof FUNCTION_RANGES;

/** Who pushed, when the audit metadata names them; Convex's push_config metadata may not. */
export function deployAuthor(metadata: string): string | null {
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (typeof parsed !== "object" || parsed === null) return null;
    const record = parsed as Record<string, unknown>;
    for (const key of ["member_email", "email", "author", "actor", "member_name", "member_id"]) {
      const value = record[key];
      if (typeof value === "string" && value !== "") return value.slice(0, 200);
      if (typeof value === "number") return String(value);
    }
    return null;
  } catch {
    return null;
  }
}
