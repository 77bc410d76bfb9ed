import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";

beforeEach(() => {
  // jsdom does not implement scrolling and logs "Not implemented" whenever the router restores the
  // scroll position on navigation; a recording stub keeps the output clean and lets a test assert it.
  window.scrollTo = vi.fn() as typeof window.scrollTo;
});

afterEach(() => {
  cleanup();
});
