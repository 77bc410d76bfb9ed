import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { TEST_NOW } from "./clock";
import { takeUnansweredCalls } from "./fakeConvex";

// Pages ask for minute-aligned times; a frozen Date makes those args exact, so a test can state them.
// Only Date is faked: timers stay real for the router, React and testing-library's waits.
vi.useFakeTimers({ toFake: ["Date"], now: TEST_NOW });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: TEST_NOW });
  // jsdom does not implement scrolling and logs "Not implemented" whenever the router restores the
  // scroll position on navigation; a recording stub keeps the output clean and lets a test assert it.
  window.scrollTo = vi.fn() as typeof window.scrollTo;
  // Pages remember things in localStorage (the default deployment); each test starts without them.
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  const unanswered = takeUnansweredCalls();
  if (unanswered) throw new Error(unanswered);
});
