import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Linter } from "eslint";
import { afterAll, describe, expect, test } from "vitest";
import plugin, { buildDomainGraph, cycleThrough, domainOf, importSpecifiers } from "./domainCycles.mjs";

const CONVEX = "/repo/convex";
const file = (relative: string, source: string) => ({ file: path.join(CONVEX, relative), source });

describe("the domain graph", () => {
  test("files belong to their domain folder; lib, _generated and top-level files to none", () => {
    expect(domainOf(`${CONVEX}/usage/model/metering.ts`, CONVEX)).toBe("usage");
    expect(domainOf(`${CONVEX}/lib/audit.ts`, CONVEX)).toBeNull();
    expect(domainOf(`${CONVEX}/_generated/api.js`, CONVEX)).toBeNull();
    expect(domainOf(`${CONVEX}/schema.ts`, CONVEX)).toBeNull();
    expect(domainOf("/repo/src/main.tsx", CONVEX)).toBeNull();
  });

  test("every import counts: type-only, re-exports, multi-line and dynamic", () => {
    const source = [
      'import type { A } from "../a/read";',
      'import {\n  b,\n  c,\n} from "../b/read";',
      'export { d } from "../d/read";',
      'export * from "../e/shared";',
      'import "../f/side";',
      'const g = await import("../g/read");',
    ].join("\n");
    expect(importSpecifiers(source).sort()).toEqual(
      ["../a/read", "../b/read", "../d/read", "../e/shared", "../f/side", "../g/read"].sort(),
    );
  });

  test("edges go between domains; packages, lib, own-domain files and tests add none", () => {
    const graph = buildDomainGraph(
      [
        file("runbooks/board.ts", 'import { x } from "../usage/read";\nimport { y } from "./store";'),
        file("runbooks/model/evidence.ts", 'import type { S } from "../../metrics/shared";'),
        file("usage/read.ts", 'import { v } from "convex/values";\nimport { p } from "../lib/periods";'),
        file("usage/usage.test.ts", 'import { ingest } from "../runbooks/runbooks";'),
        file("usage/fake.helpers.ts", 'import { ingest } from "../runbooks/runbooks";'),
      ],
      CONVEX,
    );
    expect(Object.fromEntries([...graph].map(([domain, to]) => [domain, [...to].sort()]))).toEqual({
      runbooks: ["metrics", "usage"],
      usage: [],
    });
  });

  test("an import closing a cycle is named along the shortest way back", () => {
    const graph = buildDomainGraph(
      [
        file("runbooks/board.ts", 'import { x } from "../usage/read";'),
        file("usage/read.ts", 'import { y } from "../settings/read";'),
        file("settings/read.ts", 'import { z } from "../runbooks/store";'),
        file("backups/read.ts", 'import { z } from "../settings/read";'),
      ],
      CONVEX,
    );
    expect(cycleThrough(graph, "runbooks", "usage")).toBe("runbooks → usage → settings → runbooks");
    expect(cycleThrough(graph, "backups", "settings")).toBeNull();
  });
});

describe("the rule", () => {
  const root = mkdtempSync(path.join(tmpdir(), "domain-cycles-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (relative: string, source: string) => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), source);
    return source;
  };
  const lint = (relative: string, source: string) =>
    new Linter({ configType: "flat", cwd: root })
      .verify(
        source,
        [
          {
            files: ["**/*.ts"],
            plugins: { "convex-domains": plugin },
            rules: { "convex-domains/no-domain-cycle": ["error", { convexDir: root }] },
          },
        ],
        path.join(root, relative),
      )
      .map((message) => message.message);

  test("reports both ends of a cycle on disk, and nothing for tests or one-way imports", () => {
    const board = write("runbooks/board.ts", 'import { month } from "../usage/read";\n');
    const store = write("usage/store.ts", 'import { zone } from "../runbooks/store";\n');
    write("usage/read.ts", 'export { month } from "./store";\n');
    write("runbooks/store.ts", "export const zone = 1;\n");
    const test = write("usage/usage.test.ts", 'import { board } from "../runbooks/runbooks";\n');
    const oneWay = write("tasks/tasks.ts", 'import { month } from "../usage/read";\n');
    expect(lint("runbooks/board.ts", board)).toEqual([
      "convex domains form a cycle: runbooks → usage → runbooks",
    ]);
    expect(lint("usage/store.ts", store)).toEqual(["convex domains form a cycle: usage → runbooks → usage"]);
    expect(lint("usage/usage.test.ts", test)).toEqual([]);
    expect(lint("tasks/tasks.ts", oneWay)).toEqual([]);
  });
});
