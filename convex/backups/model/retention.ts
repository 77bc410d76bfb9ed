import { isValidTimeZone, periodKey } from "../../lib/periods";

/**
 * Which backups a retention sweep deletes. Keepers are chosen among restorable (verified) backups
 * only: the newest `keepLast`, plus grandfather-father-son buckets — the newest backup of each of
 * the `daily` most recent days, `weekly` ISO weeks and `monthly` months that have one, in the team's
 * time zone. Pinned backups and backups still running are always kept. A failed, canceled or
 * unverifiable backup holds nothing to restore from, so it never counts as a keeper; its record is
 * kept while it is newer than the newest verified backup (it says what is going wrong) and deleted
 * after that.
 */

export type RetentionPolicy = {
  keepLast: number;
  daily: number;
  weekly: number;
  monthly: number;
  timeZone: string;
};

/** A week of dailies, a month of weeklies and a quarter of monthlies, plus the last three. */
export const DEFAULT_RETENTION: Omit<RetentionPolicy, "timeZone"> = {
  keepLast: 3,
  daily: 7,
  weekly: 4,
  monthly: 3,
};
export const MAX_RETENTION_COUNT = 365;

/** What is wrong with a policy an admin entered, as sentences; empty when it is valid. */
export function retentionPolicyProblems(policy: RetentionPolicy): string[] {
  const problems: string[] = [];
  for (const field of ["keepLast", "daily", "weekly", "monthly"] as const) {
    const value = policy[field];
    if (!Number.isInteger(value) || value < 0 || value > MAX_RETENTION_COUNT) {
      problems.push(`${field} must be a whole number from 0 to ${MAX_RETENTION_COUNT}.`);
    }
  }
  if (policy.keepLast < 1)
    problems.push("keepLast must be at least 1, so the newest verified backup is never deleted.");
  if (!isValidTimeZone(policy.timeZone)) problems.push(`${policy.timeZone} is not a time zone.`);
  return problems;
}

export type RetentionOutcome = "running" | "verified" | "unverifiable" | "failed" | "canceled";

export type RetentionCandidate = {
  id: string;
  /** When the snapshot was taken (ms): the point in time the backup restores to. */
  takenAt: number;
  outcome: RetentionOutcome;
  pinned: boolean;
};

export type RetentionDecision = {
  keep: { id: string; reasons: string[] }[];
  delete: { id: string; reason: string }[];
};

const BUCKETS = ["daily", "weekly", "monthly"] as const;

export function applyRetention(backups: RetentionCandidate[], policy: RetentionPolicy): RetentionDecision {
  const newestFirst = [...backups].sort((a, b) => b.takenAt - a.takenAt || (a.id < b.id ? -1 : 1));
  const reasons = new Map<string, string[]>();
  const addReason = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);

  const verified = newestFirst.filter((backup) => backup.outcome === "verified");
  verified.slice(0, Math.max(0, policy.keepLast)).forEach((backup, index) => {
    addReason(backup.id, `one of the last ${policy.keepLast} (#${index + 1})`);
  });
  for (const cadence of BUCKETS) {
    const limit = policy[cadence];
    const seen = new Set<string>();
    for (const backup of verified) {
      if (seen.size >= limit) break;
      const key = periodKey(cadence, backup.takenAt, policy.timeZone);
      if (seen.has(key)) continue;
      seen.add(key);
      addReason(backup.id, `newest of ${cadence} period ${key}`);
    }
  }

  const newestVerifiedAt = verified[0]?.takenAt ?? Number.NEGATIVE_INFINITY;
  const decision: RetentionDecision = { keep: [], delete: [] };
  for (const backup of newestFirst) {
    const kept = reasons.get(backup.id) ?? [];
    if (backup.pinned) kept.unshift("pinned");
    if (backup.outcome === "running") kept.unshift("still running");
    if (backup.outcome !== "verified" && backup.outcome !== "running" && backup.takenAt > newestVerifiedAt) {
      kept.push(`${backup.outcome}, and newer than the newest verified backup`);
    }
    if (kept.length > 0) {
      decision.keep.push({ id: backup.id, reasons: kept });
    } else if (backup.outcome === "verified") {
      decision.delete.push({
        id: backup.id,
        reason: "verified, but outside keep-last and every daily, weekly and monthly slot",
      });
    } else {
      decision.delete.push({
        id: backup.id,
        reason: `${backup.outcome}, and older than the newest verified backup`,
      });
    }
  }
  return decision;
}
