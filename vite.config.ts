import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { routePreload } from "./tools/routePreload.ts";

/** `@/x` is src/x and `@convex/x` is convex/x, for the app and its tests alike. */
export const pathAliases = {
  "@": fileURLToPath(new URL("./src", import.meta.url)),
  "@convex": fileURLToPath(new URL("./convex", import.meta.url)),
};

export default defineConfig({
  plugins: [tanstackRouter({ target: "react", autoCodeSplitting: true }), react(), routePreload()],
  resolve: { alias: pathAliases },
  build: {
    target: "es2022",
    // Maps stay for decoding production stack traces against the repository, but the published
    // build neither links them from its scripts nor embeds the source code in them.
    sourcemap: "hidden",
    rolldownOptions: { output: { sourcemapExcludeSources: true } },
  },
  server: {
    host: "127.0.0.1",
  },
  // Pre-bundled at dev-server start: discovered later, on a first visit to a chart page, Vite would
  // reload the page mid-session (e.g. during a newcomer's first sign-up).
  optimizeDeps: {
    include: ["recharts", "@tanstack/react-table", "@tanstack/react-virtual"],
  },
});
