/**
 * ESLint rule `convex-domains/no-domain-cycle`: `import-x/no-cycle` sees cycles between files, but
 * two domains can depend on each other through different files (runbooks/board.ts → usage/read.ts
 * while usage/store.ts → runbooks/store.ts). This rule builds the graph of `convex/<domain>/`
 * imports once per lint run from the files on disk and reports an import that closes a cycle
 * between domains, naming it. Tests and test helpers are left out: they may set up any domain.
 * `convex/lib/` and `convex/_generated/` belong to no domain, and neither do top-level files such
 * as `schema.ts` or `http.ts`, which compose the domains.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const NOT_DOMAINS = new Set(["lib", "_generated"]);
const TEST_FILE = /\.(test|helpers)\.ts$/;
const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

/** The domain a file belongs to, or null for lib, _generated and top-level files. */
export function domainOf(file, convexDir) {
  const parts = path.relative(convexDir, file).split(path.sep);
  if (parts.length < 2 || parts[0] === ".." || NOT_DOMAINS.has(parts[0])) return null;
  return parts[0];
}

function isTestFile(file) {
  return TEST_FILE.test(file);
}

/** Every module specifier a source file imports or re-exports, type-only imports included. */
export function importSpecifiers(source) {
  const specifiers = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of source.matchAll(pattern)) specifiers.push(match[1]);
  }
  return specifiers;
}

/** The domain a relative import from `file` lands in, or null (a package, lib, or outside convex/). */
function importedDomain(file, specifier, convexDir) {
  if (!specifier.startsWith(".")) return null;
  return domainOf(path.resolve(path.dirname(file), specifier), convexDir);
}

/** Domain → the other domains its non-test files import. */
export function buildDomainGraph(files, convexDir) {
  const graph = new Map();
  for (const { file, source } of files) {
    const from = domainOf(file, convexDir);
    if (from === null || isTestFile(file)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const specifier of importSpecifiers(source)) {
      const to = importedDomain(file, specifier, convexDir);
      if (to !== null && to !== from) graph.get(from).add(to);
    }
  }
  return graph;
}

/** The shortest chain of domains from `from` to `to` (both included), or null when there is none. */
function domainPath(graph, from, to) {
  const cameFrom = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const domain = queue.shift();
    if (domain === to) {
      const chain = [];
      for (let step = to; step !== null; step = cameFrom.get(step)) chain.unshift(step);
      return chain;
    }
    for (const next of graph.get(domain) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, domain);
        queue.push(next);
      }
    }
  }
  return null;
}

/** The cycle an import from domain `from` into domain `to` closes, as "a → b → a", or null. */
export function cycleThrough(graph, from, to) {
  const back = domainPath(graph, to, from);
  return back === null ? null : [from, ...back].join(" → ");
}

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts")) files.push({ file: full, source: readFileSync(full, "utf8") });
  }
  return files;
}

const graphs = new Map();

/** Read once per lint run: every file's imports count, not only the files being linted. */
function graphOf(convexDir) {
  if (!graphs.has(convexDir)) {
    const domainDirs = readdirSync(convexDir, { withFileTypes: true }).filter(
      (entry) => entry.isDirectory() && !NOT_DOMAINS.has(entry.name),
    );
    const files = domainDirs.flatMap((entry) => sourceFiles(path.join(convexDir, entry.name)));
    graphs.set(convexDir, buildDomainGraph(files, convexDir));
  }
  return graphs.get(convexDir);
}

const noDomainCycle = {
  meta: {
    type: "problem",
    docs: { description: "Forbid imports that close a cycle between convex/ domains." },
    schema: [
      {
        type: "object",
        properties: { convexDir: { type: "string" } },
        required: ["convexDir"],
        additionalProperties: false,
      },
    ],
    messages: { cycle: "convex domains form a cycle: {{cycle}}" },
  },
  create(context) {
    const { convexDir } = context.options[0];
    const file = context.filename;
    const from = domainOf(file, convexDir);
    if (from === null || isTestFile(file)) return {};
    const check = (node, source) => {
      if (typeof source?.value !== "string") return;
      const to = importedDomain(file, source.value, convexDir);
      if (to === null || to === from) return;
      const cycle = cycleThrough(graphOf(convexDir), from, to);
      if (cycle !== null) context.report({ node, messageId: "cycle", data: { cycle } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { "no-domain-cycle": noDomainCycle } };
