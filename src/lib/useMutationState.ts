import { useCallback, useState } from "react";

export type MutationOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/**
 * Runs a backend call and keeps what a form or button shows while it runs: whether it is pending
 * and the error of the last attempt (cleared when the next one starts). A failure is kept, not
 * thrown, so the caller only decides what to do after a success.
 */
export function useMutationState<Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: Args): Promise<MutationOutcome<Result>> => {
      setPending(true);
      setError(null);
      try {
        return { ok: true, value: await call(...args) };
      } catch (caught) {
        setError(caught);
        return { ok: false, error: caught };
      } finally {
        setPending(false);
      }
    },
    [call],
  );
  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}
