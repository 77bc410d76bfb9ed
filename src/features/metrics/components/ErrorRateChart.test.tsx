import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { deployBuckets, ErrorRateChart } from "./ErrorRateChart";
import { emptyPoint, type SeriesPoint } from "../series";

vi.mock("recharts", async (importOriginal) =>
  (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal<object>()),
);

const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 24, 9, 0);
const points: SeriesPoint[] = Array.from({ length: 10 }, (_, index) => ({
  ...emptyPoint(START + index * MINUTE),
  calls: 10,
  failures: index === 4 ? 3 : 0,
  failuresByCode: index === 4 ? { OCC: 3 } : ({} as Record<string, number>),
}));

describe("deploy markers on the error chart", () => {
  it("places each deploy in the bucket it happened in, once per bucket, and drops those outside", () => {
    expect(
      deployBuckets(points, [
        { ts: START + 3 * MINUTE + 10_000 },
        { ts: START + 3 * MINUTE + 50_000 },
        { ts: START + 7 * MINUTE },
        { ts: START - MINUTE },
        { ts: START + 11 * MINUTE },
      ]),
    ).toEqual([START + 3 * MINUTE, START + 7 * MINUTE]);
  });

  it("draws a reference line per deploy and says so in text", () => {
    const { container } = render(
      <ErrorRateChart
        points={points}
        codes={["OCC"]}
        rangeMs={10 * MINUTE}
        deploys={[{ ts: START + 2 * MINUTE + 5000 }, { ts: START + 8 * MINUTE }]}
      />,
    );
    expect(container.querySelectorAll(".recharts-reference-line")).toHaveLength(2);
    expect(screen.getByText(/Dashed lines mark 2 deploys in this range/)).toBeInTheDocument();
  });

  it("draws no markers and no note without deploys", () => {
    const { container } = render(
      <ErrorRateChart points={points} codes={["OCC"]} rangeMs={10 * MINUTE} deploys={[]} />,
    );
    expect(container.querySelectorAll(".recharts-reference-line")).toHaveLength(0);
    expect(screen.queryByText(/deploy/)).not.toBeInTheDocument();
  });
});
