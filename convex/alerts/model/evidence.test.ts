import { describe, expect, test } from "vitest";
import { evidenceKind, firingWindow } from "./evidence";

describe("the requests behind an alert", () => {
  test("failing calls explain error and conflict rules, slow calls latency rules, nothing the others", () => {
    expect(evidenceKind("error_rate")).toBe("failures");
    expect(evidenceKind("occ_share")).toBe("failures");
    expect(evidenceKind("function_p95_ms")).toBe("slow");
    expect(evidenceKind("slow_calls")).toBe("slow");
    expect(evidenceKind("scheduler_lag_s")).toBeNull();
    expect(evidenceKind("backup_age_share")).toBeNull();
  });
  test("the window is the five evaluated minutes up to when it fired, else when it went pending", () => {
    expect(firingWindow({ since: 2_000_000, firingSince: 1_000_000 })).toEqual({
      from: 700_000,
      to: 1_000_001,
    });
    expect(firingWindow({ since: 2_000_000, firingSince: null })).toEqual({ from: 1_700_000, to: 2_000_001 });
  });
});
