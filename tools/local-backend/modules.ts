/**
 * Loads a `convex/` folder the way `import.meta.glob("convex/**\/*.*s")` does for convex-test:
 * a map of module path → lazy loader, plus helpers to resolve public functions.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const MODULE_FILE = /\.(ts|tsx|js|mjs|mts)$/;
const SKIPPED = /(\.d\.ts|\.test\.tsx?|\.spec\.tsx?)$/;

export interface ConvexModules {
  dir: string;
  /** Absolute path with extension → loader (what convex-test's `modules` argument wants). */
  loaders: Record<string, () => Promise<Record<string, unknown>>>;
  /** Module name without extension ("users/users") → loader. */
  byName: Map<string, () => Promise<Record<string, unknown>>>;
}

function walk(dir: string, out: string[]) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (MODULE_FILE.test(entry) && !SKIPPED.test(entry)) out.push(full);
  }
}

export function collectModules(convexDir: string): ConvexModules {
  const dir = resolve(convexDir);
  const files: string[] = [];
  walk(dir, files);
  if (!files.some((f) => f.includes(`${sep}_generated${sep}`))) {
    throw new Error(`No _generated folder in ${dir}: run \`npm run codegen\` first.`);
  }
  const loaders: ConvexModules["loaders"] = {};
  const byName: ConvexModules["byName"] = new Map();
  for (const file of files) {
    // convex-test imports a function's module on every call; a settled import is reused, since
    // each `import()` goes through the loader hooks again even for a module already loaded.
    let loaded: Promise<Record<string, unknown>> | null = null;
    const loader = () => {
      if (loaded === null) {
        loaded = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
        loaded.catch(() => (loaded = null));
      }
      return loaded;
    };
    loaders[file] = loader;
    const name = relative(dir, file).split(sep).join("/").replace(MODULE_FILE, "");
    // Prefer the TypeScript source when both x.ts and x.js exist.
    if (!byName.has(name) || file.endsWith(".ts")) byName.set(name, loader);
  }
  return { dir, loaders, byName };
}

export type UdfKind = "query" | "mutation" | "action";

export interface RegisteredFunction {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
  isHttp?: boolean;
}

/** "users/users:list" | "users/admin.js:list" | "users/users" → ["users/users", "list"]. */
export function splitUdfPath(udfPath: string): [string, string] {
  const i = udfPath.lastIndexOf(":");
  let moduleName = i === -1 ? udfPath : udfPath.slice(0, i);
  const exportName = i === -1 ? "default" : udfPath.slice(i + 1);
  if (moduleName.endsWith(".js")) moduleName = moduleName.slice(0, -3);
  return [moduleName, exportName];
}

export function canonicalUdfPath(udfPath: string): string {
  const [m, e] = splitUdfPath(udfPath);
  return `${m}:${e}`;
}

export async function findFunction(
  modules: ConvexModules,
  udfPath: string,
): Promise<RegisteredFunction | null> {
  const [moduleName, exportName] = splitUdfPath(udfPath);
  if (moduleName.startsWith("_") || moduleName.split("/").some((p) => p === "_generated")) return null;
  const loader = modules.byName.get(moduleName);
  if (!loader) return null;
  const mod = await loader();
  const fn = mod[exportName] as RegisteredFunction | undefined;
  if (!fn || (typeof fn !== "function" && typeof fn !== "object")) return null;
  return fn;
}

export function kindOf(fn: RegisteredFunction): UdfKind | null {
  if (fn.isQuery) return "query";
  if (fn.isMutation) return "mutation";
  if (fn.isAction) return "action";
  return null;
}

/**
 * The kind of the function a caller may run at `udfPath`: public ones for everyone, internal ones
 * too for an admin (Convex's `AllowedVisibility::PublicOnly` lets an admin identity run internal
 * functions: that is how `npx convex run` reaches them).
 */
export async function findCallableFunction(
  modules: ConvexModules,
  udfPath: string,
  kind: UdfKind | "any",
  admin: boolean,
): Promise<UdfKind | null> {
  const fn = await findFunction(modules, udfPath);
  if (!fn || !(fn.isPublic || (admin && fn.isInternal))) return null;
  const k = kindOf(fn);
  if (k === null || (kind !== "any" && k !== kind)) return null;
  return k;
}

export async function loadOptional(
  modules: ConvexModules,
  name: string,
): Promise<Record<string, unknown> | null> {
  const loader = modules.byName.get(name);
  return loader ? await loader() : null;
}
