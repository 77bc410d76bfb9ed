import { describe, expect, test } from "vitest";
import { generateTraffic } from "./demoTraffic";
import { normalizeEvent } from "./logEvents";

const FROM = Date.UTC(2026, 10, 22, 12, 0);

describe("generateTraffic", () => {
  const events = generateTraffic({ from: FROM, to: FROM + 60 * 60_000, perMinute: 120, seed: 7 });
  const normalized = events.map(normalizeEvent);
  const executions = normalized.flatMap((event) => (event.kind === "execution" ? [event.record] : []));

  test("is deterministic for a seed and ordered by time", () => {
    expect(generateTraffic({ from: FROM, to: FROM + 60 * 60_000, perMinute: 120, seed: 7 })).toEqual(events);
    expect(
      events.every((event, index) => index === 0 || events[index - 1]!.timestamp <= event.timestamp),
    ).toBe(true);
    expect(events.every((event) => event.timestamp >= FROM - 1 && event.timestamp < FROM + 60 * 60_000)).toBe(
      true,
    );
  });

  test("every event is one the ingest understands", () => {
    expect(normalized.filter((event) => event.kind === "ignored")).toEqual([]);
  });

  test("has the failure mix an operator would see: OCC, validation, timeouts, rate limits", () => {
    const codes = new Set(executions.flatMap((record) => (record.errorCode ? [record.errorCode] : [])));
    for (const code of ["OCC", "VALIDATION_ERROR", "NOT_FOUND"]) expect(codes).toContain(code);
    const failureRate = executions.filter((record) => record.status === "failure").length / executions.length;
    expect(failureRate).toBeGreaterThan(0.003);
    expect(failureRate).toBeLessThan(0.05);
  });

  test("slow-query lines share a request id with an execution of the same function", () => {
    const lines = normalized.flatMap((event) =>
      event.kind === "console" && event.record.slowQuery ? [event.record] : [],
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const execution = executions.find((record) => record.requestId === line.requestId);
      expect(execution?.functionPath).toBe(line.functionPath);
    }
  });

  test("durations are long-tailed: p99 well above the median", () => {
    const durations = executions.map((record) => record.durationMs).sort((a, b) => a - b);
    const at = (q: number) => durations[Math.floor(q * (durations.length - 1))]!;
    expect(at(0.99)).toBeGreaterThan(5 * at(0.5));
  });
});
