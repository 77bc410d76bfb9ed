import { describe, expect, test } from "vitest";
import { DAY_MS } from "./forecast";
import { ZERO_FLOW, type StorageReport } from "./metering";
import { PLAN_CATALOG } from "./plans";
import { summarizeUsage, type UsageDayRow } from "./summary";

const monthStart = Date.UTC(2026, 10, 1);
const month = { start: monthStart, end: Date.UTC(2026, 11, 1) };
const GB = 2 ** 30;

function row(deployment: string, dayIndex: number, fields: Partial<UsageDayRow> = {}): UsageDayRow {
  const dayStart = monthStart + dayIndex * DAY_MS;
  return {
    ...ZERO_FLOW,
    deployment,
    day: new Date(dayStart).toISOString().slice(0, 10),
    dayStart,
    storage: null,
    ...fields,
  };
}

function storage(at: number, documentBytes: number): StorageReport {
  return { at, documentBytes, indexBytes: 0, fileBytes: 0, backupBytes: 0, vectorBytes: 0, textBytes: 0 };
}

const metric = (summary: ReturnType<typeof summarizeUsage>, name: string) =>
  summary.metrics.find((entry) => entry.metric === name)!;

describe("month-to-date summary", () => {
  test("sums every deployment, keeps each one's share, and states against the plan", () => {
    const summary = summarizeUsage({
      rows: [
        row("prod", 0, { calls: 500_000 }),
        row("prod", 1, { calls: 200_000 }),
        row("dev", 1, { calls: 150_000 }),
      ],
      month,
      now: monthStart + 2 * DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    const calls = metric(summary, "functionCalls");
    expect(calls.value).toBe(850_000);
    expect(calls.state).toBe("Approaching");
    expect(calls.byDeployment).toEqual([
      { deployment: "dev", value: 150_000 },
      { deployment: "prod", value: 700_000 },
    ]);
    expect(summary.worst).toMatchObject({ metric: "functionCalls", state: "Approaching" });
    // Already past 80 %; the next crossing ahead is 100 %, at 425,000 calls a day: 0.35 days on.
    expect(summary.nextCrossing?.metric).toBe("functionCalls");
    expect(summary.nextCrossing?.threshold).toBe(1);
  });

  test("the same usage on Professional is Default", () => {
    const summary = summarizeUsage({
      rows: [row("prod", 0, { calls: 850_000 })],
      month,
      now: monthStart + DAY_MS,
      limits: PLAN_CATALOG.professional.limits,
    });
    expect(metric(summary, "functionCalls").state).toBe("Default");
  });

  test("database I/O charts reads and writes apart per deployment", () => {
    const summary = summarizeUsage({
      rows: [row("prod", 0, { ioReadBytes: GB, ioWriteBytes: GB / 2 })],
      month,
      now: monthStart + DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    const io = metric(summary, "databaseIo");
    expect(io.value).toBe(1.5);
    expect(io.state).toBe("Exceeded");
    expect(io.seriesKeys).toEqual(["prod · reads", "prod · writes"]);
    expect(io.daily[0]!.values).toEqual([1, 0.5]);
  });

  test("storage is each deployment's latest level, carried over days without a report", () => {
    const summary = summarizeUsage({
      rows: [
        row("prod", 0, { storage: storage(monthStart + 3_600_000, GB / 10) }),
        row("prod", 1, { storage: storage(monthStart + DAY_MS + 3_600_000, GB / 5) }),
        row("dev", 0, { storage: storage(monthStart + 7_200_000, GB / 10) }),
        row("dev", 1, { calls: 3 }),
      ],
      month,
      now: monthStart + 2 * DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    const database = metric(summary, "databaseStorage");
    expect(database.value).toBeCloseTo(0.3);
    expect(database.byDeployment).toEqual([
      { deployment: "prod", value: 0.2 },
      { deployment: "dev", value: 0.1 },
    ]);
    expect(summary.storageByKind?.documentBytes).toBeCloseTo(0.3 * GB);
    expect(database.seriesKeys).toEqual(["dev", "prod"]);
    expect(database.daily.map((point) => point.values.map((value) => value.toFixed(1)))).toEqual([
      ["0.1", "0.1"],
      ["0.1", "0.2"],
    ]);
  });

  test("storage never reported is null, not zero", () => {
    const summary = summarizeUsage({
      rows: [row("self-hosted", 0, { calls: 10 })],
      month,
      now: monthStart + DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    expect(metric(summary, "fileStorage")).toMatchObject({ value: null, state: null, forecast: null });
    expect(summary.storageByKind).toBeNull();
  });

  test("there is no worst metric before any usage", () => {
    const empty = summarizeUsage({
      rows: [],
      month,
      now: monthStart + DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    expect(empty.worst).toBeNull();
    const quiet = summarizeUsage({
      rows: [row("prod", 0, { calls: 0 })],
      month,
      now: monthStart + DAY_MS,
      limits: PLAN_CATALOG.free.limits,
    });
    expect(quiet.worst).toBeNull();
  });

  test("a console that started mid-day runs the rate from its first event, not from midnight", () => {
    // 600 calls between noon and 18:00 of the 10th: 100 an hour, not 600 over 18 hours.
    const dayStart = monthStart + 9 * DAY_MS;
    const summary = summarizeUsage({
      rows: [row("prod", 9, { calls: 600, firstFlowAt: dayStart + 12 * 3_600_000 })],
      month,
      now: dayStart + 18 * 3_600_000,
      limits: PLAN_CATALOG.free.limits,
    });
    const remainingHours = (month.end - (dayStart + 18 * 3_600_000)) / 3_600_000;
    expect(metric(summary, "functionCalls").forecast?.projectedMonthEnd).toBeCloseTo(
      600 + 100 * remainingHours,
      6,
    );
  });
});
