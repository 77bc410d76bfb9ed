/** Pure view logic of the Errors page. */

type FunctionFailures = {
  functionPath: string;
  functionType: string;
  calls: number;
  failures: number;
  failuresByCode: Record<string, number>;
};

export type FailingFunction<T> = T & { failures: number; errorRate: number };

/**
 * Functions that failed, most failures first. With an error code selected, a function's failures
 * and error rate count that code only, like the chart and the error groups beside them.
 */
export function failuresByFunction<T extends FunctionFailures>(
  functions: T[],
  code: string | undefined,
): Array<FailingFunction<T>> {
  return functions
    .map((row) => {
      const failures = code === undefined ? row.failures : (row.failuresByCode[code] ?? 0);
      return { ...row, failures, errorRate: row.calls === 0 ? 0 : failures / row.calls };
    })
    .filter((row) => row.failures > 0)
    .sort((a, b) => b.failures - a.failures);
}
