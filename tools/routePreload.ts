/**
 * Vite build plugin: starts loading the opened page's own code at once. Each page's component is
 * split into its own chunk (TanStack Router's autoCodeSplitting), which the app only asks for
 * once its entry script has downloaded, run and matched the route: on a cold load that is a
 * second trip after the first. A small classic script (same origin: the CSP allows no inline
 * script) added to index.html preloads the chunks of the page being opened while the entry
 * script is still downloading. It adds nothing for the other pages, so the first-screen budget
 * of tools/check-bundle-size.mjs (entry and index.html's preloads) is unchanged.
 */
import type { Plugin } from "vite";

/** What the plugin needs of a chunk of the build. */
export interface ChunkInfo {
  fileName: string;
  facadeModuleId: string | null;
  imports: string[];
  isEntry: boolean;
}

const ROUTE_CHUNK = /\/src\/routes\/([^/?]+)\.tsx\?tsr-split=/;

/**
 * For each first path segment ("" for /), the files to preload: the route's split chunks and
 * the chunks they import statically, minus those the entry loads anyway.
 */
export function routePreloads(chunks: ChunkInfo[]): Record<string, string[]> {
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imported of byFile.get(file)?.imports ?? []) visit(imported);
    };
    roots.forEach(visit);
    return seen;
  };
  const loadedByEntry = closure(chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName));
  const preloads: Record<string, string[]> = {};
  for (const chunk of chunks) {
    const route = ROUTE_CHUNK.exec(chunk.facadeModuleId ?? "")?.[1];
    if (route === undefined || route === "__root") continue;
    // "slow-queries" serves /slow-queries, "functions.$deployment.$function" /functions/…/…
    const segment = route === "index" ? "" : route.split(".")[0]!;
    const files = [...closure([chunk.fileName])].filter((file) => !loadedByEntry.has(file));
    preloads[segment] = [...new Set([...(preloads[segment] ?? []), ...files])].sort();
  }
  return preloads;
}

/** The classic script that adds the opened page's modulepreload links. */
export function preloadScript(preloads: Record<string, string[]>, base: string): string {
  const urls = Object.fromEntries(
    Object.entries(preloads).map(([segment, files]) => [segment, files.map((file) => `${base}${file}`)]),
  );
  return (
    `(function(){var r=${JSON.stringify(urls)}[location.pathname.split("/")[1]]||[];` +
    `for(var i=0;i<r.length;i++){var l=document.createElement("link");l.rel="modulepreload";` +
    `l.crossOrigin="";l.href=r[i];document.head.appendChild(l);}})();\n`
  );
}

export function routePreload(): Plugin {
  let base = "/";
  return {
    name: "route-preload",
    apply: "build",
    enforce: "post",
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const chunks: ChunkInfo[] = Object.values(bundle).flatMap((output) =>
        output.type === "chunk"
          ? [
              {
                fileName: output.fileName,
                facadeModuleId: output.facadeModuleId,
                imports: output.imports,
                isEntry: output.isEntry,
              },
            ]
          : [],
      );
      const html = bundle["index.html"];
      if (html?.type !== "asset" || typeof html.source !== "string") {
        this.error("route-preload: index.html is not in the bundle");
      }
      const fileName = this.getFileName(
        this.emitFile({
          type: "asset",
          name: "route-preload.js",
          source: preloadScript(routePreloads(chunks), base),
        }),
      );
      // Before the entry's module script, so the preloads start while it downloads.
      html.source = html.source.replace(
        /<script type="module"/,
        `<script src="${base}${fileName}"></script>\n    <script type="module"`,
      );
    },
  };
}
