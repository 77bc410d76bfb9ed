import { describe, expect, test } from "vitest";
import {
  applyRetention,
  DEFAULT_RETENTION,
  retentionPolicyProblems,
  type RetentionCandidate,
  type RetentionPolicy,
} from "./retention";

const HOUR = 3_600_000;
const policy = (overrides: Partial<RetentionPolicy> = {}): RetentionPolicy => ({
  keepLast: 0,
  daily: 0,
  weekly: 0,
  monthly: 0,
  timeZone: "UTC",
  ...overrides,
});
const backup = (
  id: string,
  iso: string,
  overrides: Partial<RetentionCandidate> = {},
): RetentionCandidate => ({
  id,
  takenAt: Date.parse(iso),
  outcome: "verified",
  pinned: false,
  ...overrides,
});
const kept = (backups: RetentionCandidate[], p: RetentionPolicy) =>
  applyRetention(backups, p).keep.map((k) => k.id);

/** Two backups a day (03:00 and 15:00 UTC) for `days` days ending 2026-05-31. */
function twiceDaily(days: number): RetentionCandidate[] {
  const end = Date.parse("2026-05-31T15:00:00Z");
  return Array.from({ length: days * 2 }, (_, i) => ({
    id: new Date(end - i * 12 * HOUR).toISOString(),
    takenAt: end - i * 12 * HOUR,
    outcome: "verified" as const,
    pinned: false,
  }));
}

describe("applyRetention", () => {
  test("keep-last keeps the N newest verified backups and deletes the rest, saying why", () => {
    const backups = [
      backup("a", "2026-05-01T00:00Z"),
      backup("b", "2026-05-02T00:00Z"),
      backup("c", "2026-05-03T00:00Z"),
    ];
    const decision = applyRetention(backups, policy({ keepLast: 2 }));
    expect(decision.keep).toEqual([
      { id: "c", reasons: ["one of the last 2 (#1)"] },
      { id: "b", reasons: ["one of the last 2 (#2)"] },
    ]);
    expect(decision.delete).toEqual([
      { id: "a", reason: "verified, but outside keep-last and every daily, weekly and monthly slot" },
    ]);
  });

  test("GFS keeps the newest backup of each of the last N days, weeks and months that have one", () => {
    const backups = twiceDaily(70); // 2026-03-23 … 2026-05-31
    const decision = applyRetention(backups, policy({ daily: 7, weekly: 4, monthly: 3 }));
    const reasons = new Map(decision.keep.map((k) => [k.id, k.reasons]));
    const daily = decision.keep.filter((k) => k.reasons.some((r) => r.startsWith("newest of daily")));
    const weekly = decision.keep.filter((k) => k.reasons.some((r) => r.startsWith("newest of weekly")));
    const monthly = decision.keep.filter((k) => k.reasons.some((r) => r.startsWith("newest of monthly")));
    expect(daily.map((k) => k.id.slice(0, 13))).toEqual([
      "2026-05-31T15",
      "2026-05-30T15",
      "2026-05-29T15",
      "2026-05-28T15",
      "2026-05-27T15",
      "2026-05-26T15",
      "2026-05-25T15",
    ]);
    // 2026-05-31 is a Sunday: weeks W22, W21, W20, W19 end on Sundays 05-31, 05-24, 05-17, 05-10.
    expect(weekly.map((k) => k.id.slice(0, 13))).toEqual([
      "2026-05-31T15",
      "2026-05-24T15",
      "2026-05-17T15",
      "2026-05-10T15",
    ]);
    expect(monthly.map((k) => k.id.slice(0, 13))).toEqual([
      "2026-05-31T15",
      "2026-04-30T15",
      "2026-03-31T15",
    ]);
    expect(reasons.get("2026-05-31T15:00:00.000Z")).toEqual([
      "newest of daily period 2026-05-31",
      "newest of weekly period 2026-W22",
      "newest of monthly period 2026-05",
    ]);
    expect(decision.keep).toHaveLength(7 + 3 + 2); // weeks W20/W19 and months 04/03 add to the 7 days
    expect(decision.keep.length + decision.delete.length).toBe(backups.length);
  });

  test("buckets skip periods without a backup rather than counting them", () => {
    const backups = [
      backup("may", "2026-05-10T00:00Z"),
      backup("feb", "2026-02-10T00:00Z"),
      backup("jan", "2026-01-10T00:00Z"),
    ];
    expect(kept(backups, policy({ monthly: 2 }))).toEqual(["may", "feb"]);
  });

  test("pinned backups are always kept, whatever their age or state", () => {
    const backups = [
      backup("new", "2026-05-10T00:00Z"),
      backup("old-pinned", "2025-01-01T00:00Z", { pinned: true }),
      backup("failed-pinned", "2025-02-01T00:00Z", { pinned: true, outcome: "failed" }),
    ];
    const decision = applyRetention(backups, policy({ keepLast: 1 }));
    expect(decision.keep).toEqual([
      { id: "new", reasons: ["one of the last 1 (#1)"] },
      { id: "failed-pinned", reasons: ["pinned"] },
      { id: "old-pinned", reasons: ["pinned"] },
    ]);
    expect(decision.delete).toEqual([]);
  });

  test("failed, canceled, unverifiable and running backups never take a keeper's place", () => {
    const backups = [
      backup("running", "2026-05-10T12:00Z", { outcome: "running" }),
      backup("failed-new", "2026-05-10T11:00Z", { outcome: "failed" }),
      backup("good", "2026-05-10T10:00Z"),
      backup("unverifiable-old", "2026-05-10T09:00Z", { outcome: "unverifiable" }),
      backup("good-old", "2026-05-09T10:00Z"),
      backup("canceled-old", "2026-05-08T10:00Z", { outcome: "canceled" }),
    ];
    const decision = applyRetention(backups, policy({ keepLast: 2, daily: 1 }));
    expect(decision.keep).toEqual([
      { id: "running", reasons: ["still running"] },
      { id: "failed-new", reasons: ["failed, and newer than the newest verified backup"] },
      { id: "good", reasons: ["one of the last 2 (#1)", "newest of daily period 2026-05-10"] },
      { id: "good-old", reasons: ["one of the last 2 (#2)"] },
    ]);
    expect(decision.delete).toEqual([
      { id: "unverifiable-old", reason: "unverifiable, and older than the newest verified backup" },
      { id: "canceled-old", reason: "canceled, and older than the newest verified backup" },
    ]);
  });

  test("with no verified backup at all, nothing that records a failure is deleted", () => {
    const backups = [
      backup("f1", "2026-05-10T00:00Z", { outcome: "failed" }),
      backup("f2", "2026-05-09T00:00Z", { outcome: "unverifiable" }),
    ];
    expect(applyRetention(backups, policy({ keepLast: 3 })).delete).toEqual([]);
  });

  test("days are the team's days: a late-evening backup in New York belongs to that day, not UTC's next", () => {
    const backups = [backup("ny-late", "2026-11-02T04:30Z"), backup("ny-evening", "2026-11-01T23:00Z")];
    expect(kept(backups, policy({ daily: 2, timeZone: "UTC" }))).toEqual(["ny-late", "ny-evening"]);
    expect(kept(backups, policy({ daily: 2, timeZone: "America/New_York" }))).toEqual(["ny-late"]);
  });

  test("daylight-saving days of 23 and 25 hours are one day each", () => {
    // Berlin: 2026-03-29 has 23 hours (02:00 → 03:00), 2026-10-25 has 25 hours (03:00 → 02:00).
    const spring = [
      backup("0001", "2026-03-28T23:01Z"),
      backup("2359", "2026-03-29T21:59Z"),
      backup("next", "2026-03-29T22:01Z"),
    ];
    expect(kept(spring, policy({ daily: 3, timeZone: "Europe/Berlin" }))).toEqual(["next", "2359"]);
    const autumn = [
      backup("0001", "2026-10-24T22:01Z"),
      backup("2359", "2026-10-25T22:59Z"),
      backup("next", "2026-10-25T23:01Z"),
    ];
    expect(kept(autumn, policy({ daily: 3, timeZone: "Europe/Berlin" }))).toEqual(["next", "2359"]);
  });

  test("a keeper in several buckets is kept once, with every reason", () => {
    const decision = applyRetention(
      [backup("only", "2026-05-10T00:00Z")],
      policy({ keepLast: 1, daily: 1, weekly: 1, monthly: 1 }),
    );
    expect(decision.keep).toEqual([
      {
        id: "only",
        reasons: [
          "one of the last 1 (#1)",
          "newest of daily period 2026-05-10",
          "newest of weekly period 2026-W19",
          "newest of monthly period 2026-05",
        ],
      },
    ]);
  });
});

describe("retentionPolicyProblems", () => {
  test("the default policy is valid", () => {
    expect(retentionPolicyProblems({ ...DEFAULT_RETENTION, timeZone: "Europe/Berlin" })).toEqual([]);
  });

  test("a policy that could delete the newest verified backup, bad counts and unknown zones are refused", () => {
    expect(retentionPolicyProblems(policy({ keepLast: 0, daily: 7 }))).toEqual([
      "keepLast must be at least 1, so the newest verified backup is never deleted.",
    ]);
    expect(
      retentionPolicyProblems(
        policy({ keepLast: 1, daily: -1, weekly: 1.5, monthly: 1000, timeZone: "Mars/Base" }),
      ),
    ).toEqual([
      "daily must be a whole number from 0 to 365.",
      "weekly must be a whole number from 0 to 365.",
      "monthly must be a whole number from 0 to 365.",
      "Mars/Base is not a time zone.",
    ]);
  });
});
