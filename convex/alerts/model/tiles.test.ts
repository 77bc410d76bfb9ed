import { describe, expect, it, test } from "vitest";
import { STALE_STREAM_MS } from "../../metrics/shared";
import { BUILT_IN_RULES } from "./rules";
import { judgeTiles, type RuleOnTile } from "./tiles";

const errorRate: RuleOnTile = {
  signal: "error_rate",
  name: "Error rate above 1 %",
  unit: "ratio",
  threshold: 0.01,
  pendingMs: 300_000,
  enabled: true,
  state: null,
  reason: null,
};
const highErrorRate: RuleOnTile = { ...errorRate, name: "High error rate above 5 %", threshold: 0.05 };

describe("a tile's verdict is its rules' state", () => {
  test("no instance yet: normal, showing the rule that fires first", () => {
    const tiles = judgeTiles([highErrorRate, errorRate]);
    expect(tiles.error_rate.verdict).toBe("ok");
    expect(tiles.error_rate.rule?.threshold).toBe(0.01);
  });

  test("firing or recovering is red, pending amber, whichever rule on the signal it is", () => {
    expect(
      judgeTiles([errorRate, { ...highErrorRate, state: "firing", reason: "5.2%" }]).error_rate,
    ).toMatchObject({
      verdict: "alert",
      rule: { threshold: 0.05, reason: "5.2%" },
    });
    expect(judgeTiles([{ ...errorRate, state: "recovering", reason: "r" }]).error_rate.verdict).toBe("alert");
    expect(judgeTiles([{ ...errorRate, state: "pending", reason: "p" }]).error_rate.verdict).toBe("pending");
    expect(judgeTiles([{ ...errorRate, state: "normal", reason: "back" }]).error_rate.verdict).toBe("ok");
  });

  test("a disabled rule colours nothing, and a signal without a rule has no verdict", () => {
    const tiles = judgeTiles([{ ...errorRate, enabled: false, state: "firing", reason: "x" }]);
    expect(tiles.error_rate).toEqual({ verdict: "none", rule: null });
    expect(tiles.p95_ms).toEqual({ verdict: "none", rule: null });
  });
});

describe("the silent-stream rule and the stale label agree", () => {
  it("fires, by default, exactly when the deployment picker and runbook evidence call the stream stale", () => {
    const silent = BUILT_IN_RULES.find((rule) => rule.signal === "stream_silent_min")!;
    expect(silent.threshold * 60_000).toBe(STALE_STREAM_MS);
  });
});
