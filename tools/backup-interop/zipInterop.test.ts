import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { ZipReader } from "../../convex/lib/snapshot/zipReader";
import { zipChunks } from "../../convex/lib/snapshot/zipWriter";
import { fixtureZip } from "../../convex/lib/snapshot/asyncZipFixture.helpers";

// The backup ZIP code must agree with the tools everyone else uses: Info-ZIP and Python's zipfile.
const dir = mkdtempSync(join(tmpdir(), "zip-interop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readEntries(bytes: Uint8Array<ArrayBuffer>): Promise<Record<string, string>> {
  const reader = new ZipReader(new Blob([bytes]).stream());
  const out: Record<string, string> = {};
  for await (const entry of reader.entries()) {
    const parts: Uint8Array[] = [];
    for await (const chunk of entry.chunks()) parts.push(chunk);
    out[entry.name] = Buffer.concat(parts).toString("utf8");
  }
  return out;
}

const lines = Array.from(
  { length: 2000 },
  (_, i) => `{"_creationTime":${1715973841548 + i}.0,"n":${i}}\n`,
).join("");

test("reads a ZIP that Info-ZIP streams to stdout (data descriptors, no sizes up front)", async () => {
  writeFileSync(join(dir, "documents.jsonl"), lines);
  writeFileSync(join(dir, "README.md"), "# readme\n");
  const zip = execFileSync("sh", ["-c", "cat documents.jsonl | zip -q - - && true"], { cwd: dir });
  const entries = await readEntries(new Uint8Array(zip));
  expect(Object.values(entries)).toEqual([lines]);
});

test("reads a ZIP written by zip to a file, with a folder entry and stored files", async () => {
  execFileSync(
    "sh",
    [
      "-c",
      "mkdir -p t && cp documents.jsonl t/ && printf 'x' > t/one.txt && zip -q -r files.zip README.md t",
    ],
    { cwd: dir },
  );
  const entries = await readEntries(new Uint8Array(readFileSync(join(dir, "files.zip"))));
  expect(entries).toEqual({
    "README.md": "# readme\n",
    "t/": "",
    "t/documents.jsonl": lines,
    "t/one.txt": "x",
  });
});

test("reads a ZIP written by Python's zipfile (deflated and stored)", async () => {
  const script = [
    "import zipfile, sys",
    "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
    "  z.writestr('a/documents.jsonl', open(sys.argv[2]).read(), compress_type=zipfile.ZIP_DEFLATED)",
    "  z.writestr('b.txt', 'stored', compress_type=zipfile.ZIP_STORED)",
  ].join("\n");
  execFileSync("python3", ["-c", script, join(dir, "py.zip"), join(dir, "documents.jsonl")]);
  const entries = await readEntries(new Uint8Array(readFileSync(join(dir, "py.zip"))));
  expect(entries).toEqual({ "a/documents.jsonl": lines, "b.txt": "stored" });
});

test("unzip -t and Python's zipfile accept what the writer produces (Convex's async_zip framing)", async () => {
  const parts: Uint8Array[] = [];
  const entries = [
    { name: "README.md", data: "# readme\n" },
    { name: "tasks/documents.jsonl", data: lines },
  ];
  for await (const chunk of zipChunks(entries, {})) parts.push(chunk);
  const path = join(dir, "ours.zip");
  writeFileSync(path, Buffer.concat(parts));
  expect(execFileSync("unzip", ["-t", path]).toString()).toMatch(/No errors detected/);
  const listing = execFileSync("python3", [
    "-c",
    "import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({i.filename: [z.read(i).decode(), oct(i.external_attr >> 16), i.date_time] for i in z.infolist()}))",
    path,
  ]).toString();
  // Mode 0644 without file-type bits and DOS date 0, as async_zip writes them for Convex.
  expect(JSON.parse(listing)).toEqual({
    "README.md": ["# readme\n", "0o644", [1980, 0, 0, 0, 0, 0]],
    "tasks/documents.jsonl": [lines, "0o644", [1980, 0, 0, 0, 0, 0]],
  });
});

test("unzip -t accepts the fixture written from async_zip's source, so the fixtures are real ZIPs", () => {
  const path = join(dir, "fixture.zip");
  writeFileSync(
    path,
    fixtureZip([
      { name: "README.md", data: "# readme\n" },
      { name: "t/documents.jsonl", data: lines },
    ]),
  );
  expect(execFileSync("unzip", ["-t", path]).toString()).toMatch(/No errors detected/);
});
