/**
 * Hostile snapshot ZIPs against verification and the import preview, each in a child node with a
 * 128 MB heap (`--max-old-space-size=128`), as the console's actions would meet them: a deflate
 * bomb that inflates to one 300 MB line, names that escape their folder, and a duplicate entry.
 * Each must end in a sentence, not in "JavaScript heap out of memory".
 */
import { execFile } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { CONVEX_README, fixtureZip } from "../../convex/lib/snapshot/asyncZipFixture.helpers";
import { zipChunks } from "../../convex/lib/snapshot/zipWriter";

const dir = mkdtempSync(join(tmpdir(), "hostile-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, "..", "..");
const url = (path: string) => pathToFileURL(join(root, path)).href;

/** Runs verify, then the preview, on `zip` in a child node with a 128 MB heap. */
function inSmallHeap(zip: string): Promise<{ verify: string; preview: string | null; heapMb: number }> {
  const script = `
    import { register } from "node:module";
    import { createReadStream } from "node:fs";
    register(${JSON.stringify(url("tools/local-backend/ts-hooks.mjs"))});
    const { verifySnapshotZip } = await import(${JSON.stringify(url("convex/lib/snapshot/verify.ts"))});
    const { previewImport } = await import(${JSON.stringify(url("convex/imports/model/preview.ts"))});
    const file = process.argv[1];
    const verified = await verifySnapshotZip(createReadStream(file), { expectStorage: false });
    const preview = await previewImport(createReadStream(file), { format: "zip", tableValidator: null });
    const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
    console.log(JSON.stringify({ verify: verified.ok ? "ok" : verified.reason, preview: preview.rejected, heapMb }));
  `;
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["--max-old-space-size=128", "--input-type=module", "-e", script, zip],
      { maxBuffer: 1 << 20, timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr.slice(-2000)}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

async function* oneLongLine(bytes: number): AsyncGenerator<Uint8Array> {
  const block = new Uint8Array(1 << 20).fill(0x61);
  for (let sent = 0; sent < bytes; sent += block.length) yield block;
}

describe("hostile ZIPs under a 128 MB heap", () => {
  test("a deflate bomb of one 300 MB line is refused by its line number, by verify and by the preview", async () => {
    const path = join(dir, "bomb.zip");
    await pipeline(
      Readable.from(
        zipChunks(
          [
            { name: "README.md", data: CONVEX_README },
            { name: "_tables/documents.jsonl", data: '{"name":"tasks","id":10001}\n' },
            { name: "tasks/documents.jsonl", data: oneLongLine(300 << 20) },
            { name: "tasks/generated_schema.jsonl", data: '"uniform"\n' },
          ],
          {},
        ),
      ),
      createWriteStream(path),
    );
    expect(statSync(path).size).toBeLessThan(2 << 20);
    const result = await inSmallHeap(path);
    const refusal = /tasks\/documents\.jsonl: Line 1 is longer than 6 MiB/;
    expect(result.verify).toMatch(refusal);
    expect(result.preview).toMatch(refusal);
  }, 180_000);

  test.each([
    [
      "../escape/documents.jsonl",
      /Entry "\.\.\/escape\/documents\.jsonl" is refused: it contains a \.\. segment/,
    ],
    ["/etc/documents.jsonl", /Entry "\/etc\/documents\.jsonl" is refused: it starts with \//],
    ["tasks\\documents.jsonl", /Entry "tasks\\\\documents\.jsonl" is refused: it contains a backslash/],
  ])(
    "an entry named %s is refused by name",
    async (name, refusal) => {
      const path = join(dir, "name.zip");
      await pipeline(
        Readable.from([
          fixtureZip([
            { name: "README.md", data: CONVEX_README },
            { name, data: "{}\n" },
          ]),
        ]),
        createWriteStream(path),
      );
      const result = await inSmallHeap(path);
      expect(result.verify).toMatch(refusal);
      expect(result.preview).toMatch(refusal);
    },
    60_000,
  );

  test("a duplicate entry is refused", async () => {
    const path = join(dir, "duplicate.zip");
    const entry = { name: "README.md", data: CONVEX_README };
    await pipeline(Readable.from([fixtureZip([entry, entry])]), createWriteStream(path));
    const result = await inSmallHeap(path);
    expect(result.verify).toMatch(/Entry "README\.md" appears twice in the ZIP/);
    expect(result.preview).toMatch(/Entry "README\.md" appears twice in the ZIP/);
  }, 60_000);
});
