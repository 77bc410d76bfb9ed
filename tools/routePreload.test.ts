// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { preloadScript, routePreloads, type ChunkInfo } from "./routePreload";

const chunk = (
  fileName: string,
  imports: string[] = [],
  facadeModuleId: string | null = null,
): ChunkInfo => ({
  fileName,
  imports,
  facadeModuleId,
  isEntry: false,
});
const CHUNKS: ChunkInfo[] = [
  { ...chunk("assets/index.js", ["assets/api.js"]), isEntry: true },
  chunk("assets/api.js"),
  chunk("assets/chart.js", ["assets/api.js"]),
  chunk(
    "assets/routes.js",
    ["assets/chart.js", "assets/api.js"],
    "/repo/src/routes/index.tsx?tsr-split=component",
  ),
  chunk("assets/usage.js", ["assets/chart.js"], "/repo/src/routes/usage.tsx?tsr-split=component"),
  chunk("assets/fn.js", [], "/repo/src/routes/functions.$deployment.$function.tsx?tsr-split=component"),
  chunk("assets/slow.js", [], "/repo/src/routes/slow-queries.tsx?tsr-split=component"),
];

describe("route preloads", () => {
  it("lists each page's own chunks and what they import, not what the entry loads anyway", () => {
    expect(routePreloads(CHUNKS)).toEqual({
      "": ["assets/chart.js", "assets/routes.js"],
      usage: ["assets/chart.js", "assets/usage.js"],
      functions: ["assets/fn.js"],
      "slow-queries": ["assets/slow.js"],
    });
  });

  it("preloads the opened page's chunks, and nothing for a page it does not know", () => {
    const run = (path: string) => {
      document.head.replaceChildren();
      window.history.replaceState(null, "", path);
      new Function(preloadScript(routePreloads(CHUNKS), "/"))();
      return [...document.head.querySelectorAll<HTMLLinkElement>("link[rel=modulepreload]")].map((link) =>
        link.getAttribute("href"),
      );
    };
    expect(run("/usage?deployment=prod")).toEqual(["/assets/chart.js", "/assets/usage.js"]);
    expect(run("/")).toEqual(["/assets/chart.js", "/assets/routes.js"]);
    expect(run("/functions/prod/api%2Fx")).toEqual(["/assets/fn.js"]);
    expect(run("/nowhere")).toEqual([]);
  });
});
