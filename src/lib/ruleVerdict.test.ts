import { describe, expect, it } from "vitest";
import { TILES } from "@/test/metricsFixtures";
import { ruleText } from "./ruleVerdict";

describe("a judged value's text", () => {
  it("prints the rule's condition while normal, and its reason while pending or firing", () => {
    expect(ruleText(TILES.error_rate)).toBe("alerts above 1 % for 5 min");
    expect(ruleText(TILES.stream_silent_min)).toBe("alerts above 10 min");
    const firing = {
      verdict: "alert" as const,
      rule: { ...TILES.error_rate.rule!, reason: "error rate 3.4 % > 1 % for 5 min" },
    };
    expect(ruleText(firing)).toBe("error rate 3.4 % > 1 % for 5 min");
    expect(ruleText({ verdict: "none", rule: null })).toBe("No alert rule");
  });
});
