/**
 * jsdom has no layout, so recharts' ResponsiveContainer measures 0×0 and warns. Tests that render
 * charts swap it for a fixed-size box:
 *   vi.mock("recharts", async (importOriginal) => (await import("@/test/recharts")).withFixedSizeCharts(await importOriginal()));
 */
import { cloneElement, isValidElement, type ReactNode } from "react";

const WIDTH = 800;

type Props = { children?: ReactNode; height?: number | string };

export function withFixedSizeCharts<T extends object>(actual: T): T {
  function FixedSizeContainer({ children, height }: Props) {
    const fixedHeight = typeof height === "number" ? height : 300;
    return (
      <div style={{ width: WIDTH, height: fixedHeight }}>
        {isValidElement<{ width?: number; height?: number }>(children)
          ? cloneElement(children, { width: WIDTH, height: fixedHeight })
          : children}
      </div>
    );
  }
  return { ...actual, ResponsiveContainer: FixedSizeContainer };
}
