import { act, renderHook } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { useMutationState } from "./useMutationState";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("useMutationState", () => {
  test("is pending while the call runs and hands back its value", async () => {
    const call = deferred<string>();
    const { result } = renderHook(() =>
      useMutationState((name: string) => call.promise.then((v) => `${v} ${name}`)),
    );
    expect(result.current.pending).toBe(false);
    let outcome!: Promise<unknown>;
    act(() => {
      outcome = result.current.run("ada");
    });
    expect(result.current.pending).toBe(true);
    await act(async () => {
      call.resolve("hello");
      await outcome;
    });
    expect(await outcome).toEqual({ ok: true, value: "hello ada" });
    expect(result.current.pending).toBe(false);
    expect(result.current.error).toBeNull();
  });

  test("keeps the failure to show, and the next attempt clears it", async () => {
    const failure = new Error("refused");
    let fail = true;
    const { result } = renderHook(() =>
      useMutationState(async () => {
        if (fail) throw failure;
        return 1;
      }),
    );
    await act(async () => {
      expect(await result.current.run()).toEqual({ ok: false, error: failure });
    });
    expect(result.current.error).toBe(failure);
    expect(result.current.pending).toBe(false);
    fail = false;
    await act(async () => {
      expect(await result.current.run()).toEqual({ ok: true, value: 1 });
    });
    expect(result.current.error).toBeNull();
  });
});
