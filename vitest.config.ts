import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { pathAliases } from "./vite.config.ts";

export default defineConfig({
  test: {
    // vitest's default on 2 cores is one worker; most unit files wait on child processes, sockets
    // and timers rather than the CPU, so two workers halve the wall time without starving either.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "convex",
          include: ["convex/**/*.test.ts"],
          environment: "edge-runtime",
          server: { deps: { inline: ["convex-test"] } },
        },
      },
      {
        plugins: [react()],
        resolve: { alias: pathAliases },
        test: {
          name: "web",
          include: ["src/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          setupFiles: ["./src/test/setup.ts"],
          // A file's first render also loads its modules (recharts, the router): seconds on a busy
          // 2-core machine, which is not what these tests measure.
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: "bench",
          include: ["bench/**/*.bench.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.e2e.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // A page settles in seconds on a busy machine (live queries, a relayout after a resize);
          // vitest's default of one second would fail a journey on timing, not on behaviour.
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "tools",
          include: ["tools/**/*.test.ts"],
          environment: "node",
        },
      },
    ],
  },
});
