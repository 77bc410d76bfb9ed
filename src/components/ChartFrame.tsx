import type { ReactElement } from "react";
import { ResponsiveContainer } from "recharts";

/**
 * The box every chart is drawn in, as wide as its column. Hidden from assistive technology: each
 * chart has a sentence or a table beside it that says the same in text.
 */
export function ChartFrame({ height, children }: { height: number; children: ReactElement }) {
  return (
    <div aria-hidden="true" className="chart">
      <ResponsiveContainer width="100%" height={height}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}
