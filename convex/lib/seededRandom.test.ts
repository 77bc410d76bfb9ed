import { describe, expect, test } from "vitest";
import { seededRandom } from "./seededRandom";

describe("seededRandom", () => {
  test("generators seeded a second apart, as loadgen's live windows are, draw independently", () => {
    // Loadgen seeds each one-second window with its start: consecutive seeds differ by ~1,000 ms.
    // Each draw of one window must say nothing about the same draw of the next (bursts, function
    // picks and documents read would otherwise repeat in cycles across a minute).
    for (const draw of [0, 1, 2, 5]) {
      const draws = Array.from({ length: 2000 }, (_, window) => {
        const random = seededRandom(Date.UTC(2026, 10, 22, 12, 0) + window * 1000);
        for (let skipped = 0; skipped < draw; skipped++) random();
        return random();
      });
      const mean = draws.reduce((total, value) => total + value, 0) / draws.length;
      let covariance = 0;
      let variance = 0;
      for (let index = 0; index < draws.length; index++) {
        variance += (draws[index]! - mean) ** 2;
        if (index > 0) covariance += (draws[index]! - mean) * (draws[index - 1]! - mean);
      }
      expect(Math.abs(covariance / variance), `draw ${draw}`).toBeLessThan(0.1);
    }
  });
});
