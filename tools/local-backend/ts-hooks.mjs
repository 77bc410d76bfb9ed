// Node module customization hooks (module.register) so plain `node` can import the project's
// TypeScript: `.ts`/`.tsx` files are compiled with esbuild, and extensionless relative imports
// ("./lib/roles", "./_generated/server") resolve the way bundlers (and Convex's esbuild) do.
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transform } from "esbuild";

const TS_EXTENSIONS = [".ts", ".tsx", ".mts"];
const TRY_EXTENSIONS = [".ts", ".tsx", ".js", ".mjs", ".mts", ".jsx"];

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolveLocalFile(path) {
  if (isFile(path)) return path;
  for (const ext of TRY_EXTENSIONS) {
    if (isFile(path + ext)) return path + ext;
  }
  // "./x.js" written for a "./x.ts" source (TypeScript's nodenext convention).
  if (path.endsWith(".js")) {
    const base = path.slice(0, -3);
    for (const ext of TS_EXTENSIONS) {
      if (isFile(base + ext)) return base + ext;
    }
  }
  if (existsSync(path)) {
    for (const ext of TRY_EXTENSIONS) {
      const index = `${path}/index${ext}`;
      if (isFile(index)) return index;
    }
  }
  return null;
}

export async function resolve(specifier, context, nextResolve) {
  const isRelative = specifier.startsWith("./") || specifier.startsWith("../");
  const isFileUrl = specifier.startsWith("file://");
  const parent = context.parentURL;
  if ((isRelative || isFileUrl || specifier.startsWith("/")) && parent?.startsWith("file://")) {
    const target = isFileUrl
      ? fileURLToPath(specifier)
      : specifier.startsWith("/")
        ? specifier
        : fileURLToPath(new URL(specifier, parent));
    const found = resolveLocalFile(target);
    if (found !== null && !found.includes("/node_modules/")) {
      return { url: pathToFileURL(found).href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.startsWith("file://") && TS_EXTENSIONS.some((ext) => url.endsWith(ext))) {
    const path = fileURLToPath(url);
    const source = await readFile(path, "utf8");
    const result = await transform(source, {
      loader: path.endsWith(".tsx") ? "tsx" : "ts",
      format: "esm",
      target: "node20",
      sourcefile: path,
      sourcemap: "inline",
      jsx: "automatic",
    });
    return { format: "module", source: result.code, shortCircuit: true };
  }
  return nextLoad(url, context);
}
