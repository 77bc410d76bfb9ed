import { expect, test } from "vitest";
import { snapshotOf, storageFile, tasks } from "./snapshotFixture.helpers";
import { snapshotEntries, snapshotZipChunks } from "./snapshotZip";
import { readSnapshot, type SnapshotItem } from "./snapshotReader";
import { collect } from "./testBytes.helpers";
import { zipChunks, type ZipEntrySource } from "./zipWriter";

const modifiedAt = new Date("2026-05-17T19:24:01Z");

async function itemsOf(zip: Uint8Array<ArrayBuffer>) {
  const items: (SnapshotItem | { kind: "storageFile"; id: string; text: string })[] = [];
  for await (const item of readSnapshot(new Blob([zip]).stream())) {
    if (item.kind === "storageFile") {
      items.push({
        kind: "storageFile",
        id: item.id,
        text: new TextDecoder().decode(await collect(item.chunks)),
      });
    } else items.push(item);
  }
  return items;
}

test("reads back the tables, every document with its types, the storage metadata and the files", async () => {
  const files = [storageFile(1, "hello"), storageFile(2, "{}", "application/json")];
  const snapshot = snapshotOf({ tasks: tasks(5000), users: tasks(2, 10002) }, files);
  const items = await itemsOf(await collect(snapshotZipChunks(snapshot, { modifiedAt })));
  expect(items[0]).toEqual({
    kind: "tables",
    component: "",
    tables: [
      { name: "tasks", tableNumber: 10001 },
      { name: "users", tableNumber: 10002 },
    ],
  });
  const documents = (table: string) =>
    items.flatMap((item) => (item.kind === "documents" && item.table === table ? item.documents : []));
  expect(documents("tasks")).toEqual(tasks(5000));
  expect(documents("users")).toEqual(tasks(2, 10002));
  expect(items.filter((item) => item.kind === "documents" && item.table === "tasks").length).toBeGreaterThan(
    1,
  );
  expect(items.find((item) => item.kind === "storageMetadata")).toEqual({
    kind: "storageMetadata",
    component: "",
    files: files.map(({ bytes: _bytes, ...metadata }) => metadata),
  });
  expect(items.filter((item) => item.kind === "storageFile")).toEqual([
    { kind: "storageFile", id: files[0]!.id, text: "hello" },
    { kind: "storageFile", id: files[1]!.id, text: "{}" },
  ]);
});

test("a bad line is reported with its file and line number", async () => {
  const entries: ZipEntrySource[] = [];
  for await (const entry of snapshotEntries(snapshotOf({ tasks: tasks(2) }))) {
    entries.push(
      entry.name === "tasks/documents.jsonl" ? { name: entry.name, data: '{"a":1}\n{"a":\n' } : entry,
    );
  }
  await expect(itemsOf(await collect(zipChunks(entries, { modifiedAt })))).rejects.toThrow(
    /^tasks\/documents\.jsonl: line 2 is not valid export JSON/,
  );
});

test("a legacy generated_schema.jsonl is refused rather than misread", async () => {
  const entries: ZipEntrySource[] = [];
  for await (const entry of snapshotEntries(snapshotOf({ tasks: tasks(1) }))) {
    entries.push(
      entry.name === "tasks/generated_schema.jsonl" ? { name: entry.name, data: '"{_id: string}"\n' } : entry,
    );
  }
  await expect(itemsOf(await collect(zipChunks(entries, { modifiedAt })))).rejects.toThrow(/legacy schema/);
});
