import { describe, expect, test } from "vitest";
import { parseQuery } from "@convex/logs/shared";
import { chartRangeFor, logsQueryOn, matchersInWords, minutesToMs, sortOpenAlerts } from "./Alerts.utils";

describe("alerts view logic", () => {
  test("firing alerts come first, critical before warning, pending last", () => {
    const alerts = [
      { id: "p", state: "pending" as const, severity: "critical" as const, since: 1 },
      { id: "fw", state: "firing" as const, severity: "warning" as const, since: 1 },
      { id: "nd", state: "nodata" as const, severity: "critical" as const, since: 1 },
      { id: "fc", state: "firing" as const, severity: "critical" as const, since: 2 },
    ];
    expect(sortOpenAlerts(alerts).map((a) => a.id)).toEqual(["fc", "fw", "nd", "p"]);
  });

  test("the chart opens on the smallest range that shows the whole episode", () => {
    const now = 10 * 3_600_000;
    expect(chartRangeFor(now - 5 * 60_000, now)).toBe("15m");
    expect(chartRangeFor(now - 30 * 60_000, now)).toBe("1h");
    expect(chartRangeFor(now - 3 * 3_600_000, now)).toBe("6h");
    expect(chartRangeFor(now - 30 * 24 * 3_600_000, now)).toBe("7d");
  });

  test("minutes typed in a form", () => {
    expect(minutesToMs("10")).toBe(600_000);
    expect(minutesToMs(" 0 ")).toBe(0);
    expect(minutesToMs("1.5")).toBeNull();
    expect(minutesToMs("-1")).toBeNull();
  });

  test("matchers in words", () => {
    expect(matchersInWords({ rule: "error-rate", deployment: "prod" })).toBe(
      "rule error-rate, deployment prod",
    );
  });
});

describe("an alert made from a Logs search links back to it", () => {
  test("narrows the search to the alert's deployment without changing what its OR means", () => {
    const query = logsQueryOn('level:error OR message:"Slow query"', 'prod "blue"');
    expect(query).toBe('(level:error OR message:"Slow query") deployment:"prod \\"blue\\""');
    const tree = parseQuery(query, 0);
    expect(tree).toMatchObject({
      kind: "and",
      items: [{ kind: "or" }, { kind: "field", field: "deployment", value: 'prod "blue"' }],
    });
  });
});
