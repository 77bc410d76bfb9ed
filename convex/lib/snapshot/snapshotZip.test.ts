import { expect, test } from "vitest";
import { decodeExportJson } from "./exportJson";
import { snapshotOf, storageFile, tasks, testId } from "./snapshotFixture.helpers";
import { SNAPSHOT_README, snapshotZipChunks, storageFileName, storageMetadataLine } from "./snapshotZip";
import { collect } from "./testBytes.helpers";
import { ZipReader } from "./zipReader";

const modifiedAt = new Date("2026-05-17T19:24:01Z");

async function entriesOf(zip: Uint8Array<ArrayBuffer>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const reader = new ZipReader(new Blob([zip]).stream());
  for await (const entry of reader.entries()) {
    out.push([entry.name, new TextDecoder().decode(await collect(entry.chunks()))]);
  }
  return out;
}

test("writes Convex's layout: README, _tables by number, tables smallest first, then _storage", async () => {
  const files = [
    storageFile(1, "hello", "text/plain"),
    storageFile(2, "{}", "application/json"),
    storageFile(3, "?", null),
  ];
  const snapshot = snapshotOf({ tasks: tasks(3), users: [], notes: tasks(1, 10003) }, files);
  const entries = await entriesOf(await collect(snapshotZipChunks(snapshot, { modifiedAt })));
  expect(entries.map(([name]) => name)).toEqual([
    "README.md",
    "_tables/documents.jsonl",
    "users/documents.jsonl",
    "users/generated_schema.jsonl",
    "notes/documents.jsonl",
    "notes/generated_schema.jsonl",
    "tasks/documents.jsonl",
    "tasks/generated_schema.jsonl",
    "_storage/documents.jsonl",
    `_storage/${files[0]!.id}.txt`,
    `_storage/${files[1]!.id}.json`,
    `_storage/${files[2]!.id}`,
  ]);
  const byName = new Map(entries);
  expect(byName.get("README.md")).toBe(SNAPSHOT_README);
  expect(
    SNAPSHOT_README.startsWith("# Welcome to your Convex snapshot export!\n\nThis ZIP file contains"),
  ).toBe(true);
  expect(byName.get("_tables/documents.jsonl")).toBe(
    '{"name":"tasks","id":10001}\n{"name":"users","id":10002}\n{"name":"notes","id":10003}\n',
  );
  expect(byName.get("tasks/generated_schema.jsonl")).toBe('"uniform"\n');
  expect(byName.get("users/documents.jsonl")).toBe("");
  const firstTask = byName.get("tasks/documents.jsonl")!.split("\n")[0]!;
  expect(firstTask).toBe(
    `{"_creationTime":1715973841548.0,"_id":"${testId(10001, 0)}","done":true,"priority":0,"text":"task 0"}`,
  );
  expect(decodeExportJson(firstTask)).toEqual(tasks(1)[0]);
  expect(byName.get(`_storage/${files[0]!.id}.txt`)).toBe("hello");
});

test("_storage/documents.jsonl keeps Convex's struct order: _id, _creationTime, sha256, size, contentType, internalId", () => {
  const file = storageFile(1, "hello");
  expect(storageMetadataLine(file)).toBe(
    `{"_id":"${file.id}","_creationTime":1715973841001.0,"sha256":"LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=","size":5,"contentType":"text/plain","internalId":"${file.internalId}"}\n`,
  );
  expect(storageMetadataLine({ ...file, contentType: null })).toContain('"contentType":null');
});

test("storage file names take the type's extension, ignoring parameters, or none", () => {
  expect(storageFileName({ id: "kg2", contentType: "image/png" })).toBe("_storage/kg2.png");
  expect(storageFileName({ id: "kg2", contentType: "text/plain; charset=utf-8" })).toBe("_storage/kg2.txt");
  expect(storageFileName({ id: "kg2", contentType: "application/x-unknown" })).toBe("_storage/kg2");
  expect(storageFileName({ id: "kg2", contentType: null })).toBe("_storage/kg2");
});

test("every Convex value type survives the ZIP: write, read, decode", async () => {
  const bytes = new Uint8Array([0, 255, 7]).buffer;
  const document = {
    _id: testId(10001, 0),
    _creationTime: 1715973841548,
    int: -(2n ** 63n),
    float: 2,
    negativeZero: -0,
    nan: Number.NaN,
    infinity: Number.POSITIVE_INFINITY,
    bytes,
    text: 'line\nbreak "quoted" é 😀',
    flags: [true, false, null],
    nested: { z: { y: [1n, 1.5] } },
  };
  const entries = await entriesOf(
    await collect(snapshotZipChunks(snapshotOf({ tasks: [document] }), { modifiedAt })),
  );
  const line = new Map(entries).get("tasks/documents.jsonl")!;
  expect(line.endsWith("\n")).toBe(true);
  expect(line.split("\n")).toHaveLength(2);
  const decoded = decodeExportJson(line.trimEnd()) as Record<string, unknown>;
  expect(decoded).toEqual({ ...document, bytes: expect.any(ArrayBuffer) });
  expect(new Uint8Array(decoded.bytes as ArrayBuffer)).toEqual(new Uint8Array([0, 255, 7]));
  expect(Object.is(decoded.negativeZero, -0)).toBe(true);
  expect(typeof decoded.float).toBe("number");
  expect(typeof decoded.int).toBe("bigint");
});
