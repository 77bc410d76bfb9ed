import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";

const SCRIPT = resolve(import.meta.dirname, "check-bundle-size.mjs");
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A minimal `vite build` output: index.html, one entry script and its source map. */
function fakeDist(map: object): string {
  const dir = mkdtempSync(join(tmpdir(), "bundle-check-"));
  dirs.push(dir);
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(dir, "assets/index.js"), "console.log(1);");
  writeFileSync(join(dir, "assets/index.js.map"), JSON.stringify(map));
  return dir;
}

async function check(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, dir]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("check-bundle-size", () => {
  test("fails a build whose source maps carry the original source", async () => {
    const result = await check(
      fakeDist({
        version: 3,
        sources: ["../src/main.tsx"],
        sourcesContent: ["const secret = 1;"],
        mappings: "",
      }),
    );
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/ship the original source/);
  });

  test("passes maps without sources content and reports the first-screen size", async () => {
    const result = await check(fakeDist({ version: 3, sources: ["../src/main.tsx"], mappings: "" }));
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/First-screen JavaScript: .* KB gzip/);
  });
});
