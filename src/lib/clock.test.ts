import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { minuteOf, nextMinute, useMinute, useNow, useRangeEnd } from "./clock";

const START = Date.UTC(2026, 10, 22, 12, 0, 40);

describe("the one clock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => vi.useRealTimers());

  it("aligns query times to the minute", () => {
    expect(minuteOf(START)).toBe(Date.UTC(2026, 10, 22, 12, 0));
    expect(nextMinute(START)).toBe(Date.UTC(2026, 10, 22, 12, 1));
  });

  it("gives a display time and minute-aligned query times from the same instant", () => {
    const { result } = renderHook(() => ({ now: useNow(), minute: useMinute(), end: useRangeEnd() }));
    expect(result.current).toEqual({ now: START, minute: minuteOf(START), end: nextMinute(START) });
    // The minute turns 20 s in, before the 15 s display interval has ticked twice.
    act(() => vi.advanceTimersByTime(20_000));
    expect(result.current.minute).toBe(Date.UTC(2026, 10, 22, 12, 1));
    expect(result.current.end).toBe(Date.UTC(2026, 10, 22, 12, 2));
    expect(result.current.now).toBe(START + 20_000);
  });

  it("does not re-render a minute reader on the display ticks within the minute", () => {
    vi.setSystemTime(Date.UTC(2026, 10, 22, 12, 0, 1));
    let renders = 0;
    renderHook(() => {
      renders++;
      return useMinute();
    });
    const before = renders;
    act(() => vi.advanceTimersByTime(45_000));
    expect(renders).toBe(before);
  });
});
