import { expect, test } from "vitest";
import { streamGaps, STREAM_GAP_MS } from "./gaps";
import { MINUTE_MS } from "./rows";

const T = Date.UTC(2026, 11, 3, 10, 0);

test("a silence of STREAM_GAP_MS or more between two received minutes is a gap, per deployment", () => {
  const minutes = [
    { deployment: "a", minute: T },
    { deployment: "a", minute: T + MINUTE_MS },
    { deployment: "b", minute: T },
    { deployment: "a", minute: T + MINUTE_MS + MINUTE_MS + STREAM_GAP_MS },
    { deployment: "b", minute: T + STREAM_GAP_MS },
  ];
  expect(streamGaps(minutes)).toEqual([
    { deployment: "a", from: T + 2 * MINUTE_MS, to: T + 2 * MINUTE_MS + STREAM_GAP_MS },
  ]);
});

test("a deployment that sends every few minutes, under the threshold, has no gap", () => {
  const minutes = [0, 3, 6, 9].map((m) => ({ deployment: "a", minute: T + m * MINUTE_MS }));
  expect(streamGaps(minutes)).toEqual([]);
});
