import { readdirSync } from "node:fs";
import js from "@eslint/js";
import convexPlugin from "@convex-dev/eslint-plugin";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import convexDomains from "./tools/eslint/domainCycles.mjs";

const ROOT = import.meta.dirname;
const subfolders = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const FEATURES = subfolders(`${ROOT}/src/features`);
/** Backend domains: every folder of convex/ but the cross-cutting lib and the generated code. */
const DOMAINS = subfolders(`${ROOT}/convex`).filter((name) => name !== "lib" && name !== "_generated");
const CONVEX_TESTS = ["convex/**/*.test.ts", "convex/**/*.helpers.ts"];

const CONVEX_OUTSIDE = {
  target: "./convex",
  from: ["./src", "./tools"],
  message: "convex/ deploys on its own: it never imports the SPA or the dev tools.",
};

/**
 * A domain reaches another only through its doors: read.ts (helpers other domains may call) and
 * shared.ts (rules shared with the browser). `extraDoors` widens that for tests.
 */
function domainZones(extraDoors, message) {
  return [
    ...DOMAINS.map((domain) => ({
      target: `./convex/${domain}`,
      from: DOMAINS.filter((other) => other !== domain).map((other) => `${ROOT}/convex/${other}/**`),
      except: [`${ROOT}/convex/*/read.ts`, `${ROOT}/convex/*/shared.ts`, ...extraDoors],
      message,
    })),
    {
      target: "./convex/lib",
      from: DOMAINS.map((domain) => `${ROOT}/convex/${domain}/**`),
      message: "convex/lib is cross-cutting: it imports no domain.",
    },
    CONVEX_OUTSIDE,
  ];
}

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "convex/_generated/**",
      "src/routeTree.gen.ts",
      ".local/**",
      "test-results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The layout's one-way dependencies: routes → features → components/lib; a feature never
    // reaches into another; the browser sees of the backend only its generated API and shared rules.
    files: ["src/**/*.{ts,tsx}", "convex/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": importX.flatConfigs.typescript.settings["import-x/extensions"],
      "import-x/parsers": importX.flatConfigs.typescript.settings["import-x/parsers"],
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["tsconfig.app.json", "tsconfig.node.json", "convex/tsconfig.json"],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { "import-x/no-cycle": "error" },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            ...FEATURES.map((feature) => ({
              target: `./src/features/${feature}`,
              from: "./src/features",
              except: [`./${feature}`],
              message: "Features do not import each other: move what both need to src/lib or src/components.",
            })),
            {
              target: ["./src/components", "./src/lib"],
              from: "./src/features",
              message: "Shared components and lib code must not depend on a feature.",
            },
            {
              target: "./src",
              from: "./convex/**/*",
              except: [`${ROOT}/convex/_generated/**`, `${ROOT}/convex/**/shared.ts`],
              message: "The browser imports from convex/ only _generated and a domain's shared.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // The backend's one-way dependencies, like the browser's: domains meet only at their doors,
    // and the domain graph has no cycle (file-level no-cycle cannot see one that spans files).
    files: ["convex/**/*.ts"],
    ignores: CONVEX_TESTS,
    plugins: { "import-x": importX, "convex-domains": convexDomains },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: domainZones(
            [],
            "A domain imports another only through its read.ts or shared.ts: export what is needed there.",
          ),
        },
      ],
      "convex-domains/no-domain-cycle": ["error", { convexDir: `${ROOT}/convex` }],
    },
  },
  {
    // Tests may also build inputs with another domain's pure model and use its test helpers.
    files: CONVEX_TESTS,
    plugins: { "import-x": importX },
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: domainZones(
            [`${ROOT}/convex/*/model/**`, `${ROOT}/convex/**/*.helpers.ts`],
            "A test imports another domain only through its read.ts, shared.ts, model/ or *.helpers.ts.",
          ),
        },
      ],
    },
  },
  ...convexPlugin.configs.recommended,
  {
    // Public functions must come from the shared builders in convex/lib/functions.ts, which check roles.
    files: ["convex/**/*.ts"],
    ignores: ["convex/lib/functions.ts", "convex/_generated/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "_generated/server$",
              importNames: [
                "query",
                "mutation",
                "action",
                "internalQuery",
                "internalMutation",
                "internalAction",
              ],
              message: "Use the role-checked builders from convex/lib/functions.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests set up the environment a deployment would have; they are never deployed.
    files: ["convex/**/*.test.ts", "convex/test.helpers.ts"],
    rules: { "@convex-dev/no-process-env": "off" },
  },
);
