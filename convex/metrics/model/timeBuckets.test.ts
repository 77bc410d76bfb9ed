import { expect, test } from "vitest";
import { bucketStart, bucketStarts, granularityForRange, HOUR_MS, MINUTE_MS } from "./timeBuckets";

const T = Date.UTC(2026, 10, 22, 13, 47, 31, 250);

test("timestamps fall into the minute and hour that contain them", () => {
  expect(bucketStart(T, "minute")).toBe(Date.UTC(2026, 10, 22, 13, 47));
  expect(bucketStart(T, "hour")).toBe(Date.UTC(2026, 10, 22, 13));
});

test("bucket starts cover a range end-exclusive, including a partial first bucket", () => {
  expect(bucketStarts(T, T + 2 * MINUTE_MS, "minute")).toEqual([
    Date.UTC(2026, 10, 22, 13, 47),
    Date.UTC(2026, 10, 22, 13, 48),
    Date.UTC(2026, 10, 22, 13, 49),
  ]);
  expect(bucketStarts(T, T, "hour")).toEqual([]);
});

test("ranges of a few hours chart by minute, longer ones by hour", () => {
  expect(granularityForRange(HOUR_MS)).toBe("minute");
  expect(granularityForRange(24 * HOUR_MS)).toBe("hour");
});
