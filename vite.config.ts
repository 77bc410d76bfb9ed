import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [tanstackRouter({ target: "react", autoCodeSplitting: true }), react()],
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
