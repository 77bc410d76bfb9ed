import { describe, expect, test } from "vitest";
import { addToHistogram } from "../../metrics/shared";
import { seededRandom } from "../../lib/seededRandom";
import { compareFunction, criticalZ, MIN_CALLS, twoProportionZ, type SideTotals } from "./compare";

/** `calls` calls, `failures` of them failed, durations cycling through `durations`, `reads` documents each. */
function sideOf(calls: number, failures: number, durations: number[], reads = 5): SideTotals {
  let histogram: number[] = [];
  for (const duration of durations) {
    const times =
      Math.floor(calls / durations.length) + (durations.indexOf(duration) < calls % durations.length ? 1 : 0);
    if (times > 0) histogram = addToHistogram(histogram, duration, times);
  }
  const used = durations.slice(0, calls);
  return {
    calls,
    failures,
    histogram,
    minDurationMs: calls === 0 ? undefined : Math.min(...used),
    maxDurationMs: Math.max(0, ...used),
    readDocuments: reads * calls,
    readDocumentsSquares: reads * reads * calls,
  };
}

const steady = [10, 12, 14, 16, 18, 20, 22, 24, 26, 30];

describe("the error-rate test", () => {
  test("z matches the pooled two-proportion formula", () => {
    // 10/1000 vs 30/1000: pooled 0.02, se = sqrt(0.02·0.98·0.002) ≈ 0.00626, z ≈ 3.19.
    expect(twoProportionZ(10, 1000, 30, 1000)).toBeCloseTo(3.194, 2);
    expect(twoProportionZ(0, 100, 0, 100)).toBeNull();
  });

  test("1% → 3% over 1,000 calls each is a regression", () => {
    const verdict = compareFunction(sideOf(1000, 10, steady), sideOf(1000, 30, steady));
    expect(verdict.status).toBe("compared");
    expect(verdict.regressions).toEqual(["errorRate"]);
  });

  test("the same rates over 30 calls each are not: one failure against none is chance", () => {
    const verdict = compareFunction(sideOf(30, 0, steady), sideOf(30, 1, steady));
    expect(verdict.regressions).toEqual([]);
  });

  test("a significant but tiny rise (0.1 → 0.3 points over a million calls) is not flagged", () => {
    const verdict = compareFunction(sideOf(1_000_000, 1000, [10]), sideOf(1_000_000, 3000, [10]));
    expect(verdict.errorZ!).toBeGreaterThan(10);
    expect(verdict.regressions).toEqual([]);
  });
});

describe("the latency test", () => {
  test("p95 tripling over 200 calls is a regression", () => {
    const verdict = compareFunction(
      sideOf(200, 0, steady),
      sideOf(
        200,
        0,
        steady.map((d) => d * 3),
      ),
    );
    expect(verdict.regressions).toEqual(["p95"]);
    expect(verdict.after.p95Ms!).toBeGreaterThan(2 * verdict.before.p95Ms!);
  });

  test("the same traffic before and after is never flagged", () => {
    const verdict = compareFunction(sideOf(500, 5, steady), sideOf(500, 5, steady));
    expect(verdict.regressions).toEqual([]);
    expect(verdict.latencyZ).toBeCloseTo(0);
  });

  test("10% of calls turning slow moves the p95; 2% does not", () => {
    const after = sideOf(1000, 0, [...steady.slice(0, 9), 400]); // 10% slow
    const slightly = sideOf(1000, 0, [...Array(49).fill(15), 400]); // 2% slow
    expect(compareFunction(sideOf(1000, 0, steady), after).regressions).toEqual(["p95"]);
    expect(compareFunction(sideOf(1000, 0, steady), slightly).regressions).toEqual([]);
  });

  test("p95 stays inside the calls' own [min, max]", () => {
    const verdict = compareFunction(sideOf(40, 0, [7]), sideOf(40, 0, [7]));
    expect(verdict.before.p95Ms).toBe(7);
  });
});

describe("reads, new and gone functions, too few calls", () => {
  test("documents read per call rising 5 → 50 is a regression", () => {
    expect(compareFunction(sideOf(100, 0, steady, 5), sideOf(100, 0, steady, 50)).regressions).toEqual([
      "readDocuments",
    ]);
    expect(compareFunction(sideOf(100, 0, steady, 5), sideOf(100, 0, steady, 9)).regressions).toEqual([]);
  });

  test("reads per call spread as widely as a listing's (5–400, mostly few) are not flagged by chance", () => {
    // Each call reads 5 + 395·u³ documents: mean 104, standard deviation 112. At 60 calls a side the
    // mean alone rises by half in about one deploy in forty; only a rise beyond the spread counts.
    const random = seededRandom(3122026);
    const readsSide = (calls: number, factor: number): SideTotals => {
      const side = sideOf(calls, 0, steady);
      let reads = 0;
      let squares = 0;
      for (let call = 0; call < calls; call++) {
        const read = Math.round(factor * (5 + 395 * random() ** 3));
        reads += read;
        squares += read * read;
      }
      return { ...side, readDocuments: reads, readDocumentsSquares: squares };
    };
    const deploys = 1000;
    let flagged = 0;
    for (let deploy = 0; deploy < deploys; deploy++) {
      const verdict = compareFunction(readsSide(60, 1), readsSide(60, 1), 10);
      if (verdict.regressions.includes("readDocuments")) flagged += 1;
    }
    // One of ten functions: its share of the deploy's 1 % is 0.1 %; a skewed spread may double it.
    expect(flagged / deploys).toBeLessThan(0.005);
    // A real doubling of the same spread is still found at 300 calls a side.
    expect(compareFunction(readsSide(300, 1), readsSide(300, 2), 10).regressions).toEqual(["readDocuments"]);
  });

  test("reads on rows kept before their spread was are not judged: no spread, no flag", () => {
    const { readDocumentsSquares: _unknown, ...before } = sideOf(100, 0, steady, 5);
    expect(compareFunction(before, sideOf(100, 0, steady, 50)).regressions).toEqual([]);
  });

  test("a function only after is new, only before is gone", () => {
    expect(compareFunction(sideOf(0, 0, steady), sideOf(5, 0, steady)).status).toBe("new");
    expect(compareFunction(sideOf(5, 0, steady), sideOf(0, 0, steady)).status).toBe("gone");
  });

  test(`fewer than ${MIN_CALLS} calls on a side gives no verdict, however bad it looks`, () => {
    const verdict = compareFunction(
      sideOf(MIN_CALLS - 1, 0, steady),
      sideOf(
        100,
        100,
        steady.map((d) => d * 10),
      ),
    );
    expect(verdict.status).toBe("tooFewCalls");
    expect(verdict.regressions).toEqual([]);
  });
});

describe("a deploy tests its functions together", () => {
  test("the bar is p < 1 % shared among them: z 2.33 for one function, 3.09 for ten", () => {
    expect(criticalZ(0.01)).toBeCloseTo(2.326, 2);
    expect(criticalZ(0.001)).toBeCloseTo(3.09, 2);
  });

  test("1.0 % → 2.4 % over 1,000 calls each (z 2.4) is flagged alone, not as one of ten", () => {
    expect(twoProportionZ(10, 1000, 24, 1000)).toBeCloseTo(2.42, 1);
    expect(compareFunction(sideOf(1000, 10, steady), sideOf(1000, 24, steady), 1).regressions).toEqual([
      "errorRate",
    ]);
    expect(compareFunction(sideOf(1000, 10, steady), sideOf(1000, 24, steady), 10).regressions).toEqual([]);
  });

  test("deploys of ten unchanged functions, 35 calls a side, flag one by chance in under 3 % of deploys", () => {
    const random = seededRandom(20261203);
    const lognormalSide = (calls: number): SideTotals => {
      let histogram: number[] = [];
      let max = 0;
      for (let call = 0; call < calls; call++) {
        const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        const duration = 22 * Math.exp(0.5 * normal);
        histogram = addToHistogram(histogram, duration);
        max = Math.max(max, duration);
      }
      return {
        calls,
        failures: 0,
        histogram,
        maxDurationMs: max,
        readDocuments: 5 * calls,
        readDocumentsSquares: 25 * calls,
      };
    };
    const deploys = 400;
    let flaggedDeploys = 0;
    for (let deploy = 0; deploy < deploys; deploy++) {
      const verdicts = Array.from({ length: 10 }, () =>
        compareFunction(lognormalSide(35), lognormalSide(35), 10),
      );
      if (verdicts.some((verdict) => verdict.regressions.length > 0)) flaggedDeploys += 1;
    }
    expect(flaggedDeploys / deploys).toBeLessThan(0.03);
  });
});
