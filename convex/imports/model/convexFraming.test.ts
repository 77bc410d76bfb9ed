import { describe, expect, test } from "vitest";
import { previewImport } from "./preview";
import { CONVEX_README, fixtureZip, FRAMINGS, type FixtureEntry } from "../../lib/snapshot/asyncZipFixture.helpers";
import { encodeExportJson } from "../../lib/snapshot/exportJson";
import { storageFile, tasks } from "../../lib/snapshot/snapshotFixture.helpers";
import { storageMetadataLine } from "../../lib/snapshot/snapshotZip";
import { readSnapshot } from "../../lib/snapshot/snapshotReader";
import { collect, flipByte, inChunks } from "../../lib/snapshot/testBytes.helpers";
import { verifySnapshotZip } from "../../lib/snapshot/verify";

// Snapshot ZIPs framed exactly as Convex's exporter (async_zip 0.0.18) frames them, plus the classic
// framings other writers use: each must verify, preview and read for a restore.

const file = storageFile(1, "hello from storage");
const convexSnapshotEntries = (rows = 300): FixtureEntry[] => [
  { name: "README.md", data: CONVEX_README },
  { name: "_tables/documents.jsonl", data: '{"name":"tasks","id":10001}\n' },
  {
    name: "tasks/documents.jsonl",
    data: tasks(rows)
      .map((doc) => `${encodeExportJson(doc)}\n`)
      .join(""),
  },
  { name: "tasks/generated_schema.jsonl", data: '"uniform"\n' },
  { name: "_storage/documents.jsonl", data: storageMetadataLine(file) },
  { name: `_storage/${file.id}.txt`, data: file.bytes },
];

describe.each(FRAMINGS)("a snapshot framed as %s", (framing) => {
  const zip = fixtureZip(convexSnapshotEntries(), framing);

  test("verifies, with every table's rows and the stored file", async () => {
    for (const maxChunk of [zip.length, 4096, 7]) {
      const result = await verifySnapshotZip(inChunks(zip, maxChunk), {
        expectStorage: true,
        expectedSize: zip.length,
      });
      expect(result).toMatchObject({
        ok: true,
        tables: [{ component: "", table: "tasks", rows: 300 }],
        totalRows: 300,
        storageFiles: 1,
        entries: 6,
        zipBytes: zip.length,
      });
    }
  });

  test("previews with its tables and rows", async () => {
    const preview = await previewImport(inChunks(zip, 1000), { format: "zip", tableValidator: null });
    expect(preview).toMatchObject({
      rejected: null,
      rows: 300,
      validRows: 300,
      tables: [{ table: "tasks", rows: 300 }],
    });
  });

  test("reads for a restore: the table list, every document and the stored file's bytes", async () => {
    let documents = 0;
    const kinds: string[] = [];
    for await (const item of readSnapshot(inChunks(zip, 5000))) {
      kinds.push(item.kind);
      if (item.kind === "documents") documents += item.documents.length;
      if (item.kind === "storageFile")
        expect(new TextDecoder().decode(await collect(item.chunks))).toBe("hello from storage");
    }
    expect(documents).toBe(300);
    expect(new Set(kinds)).toEqual(new Set(["tables", "documents", "storageMetadata", "storageFile"]));
  });
});

describe("damage in a Convex-framed snapshot is reported as a CRC-32 or size failure", () => {
  const entries = convexSnapshotEntries(3000);
  const zip = fixtureZip(entries);

  test("a flipped byte in the documents: verify, preview and the restore reader all name the CRC or size", async () => {
    const damaged = zip.slice();
    flipByte(damaged, Math.floor(damaged.length / 2), 0x01);
    const integrity = /tasks\/documents\.jsonl (failed its CRC-32 check|failed its size check|is corrupt)/;
    const result = await verifySnapshotZip(inChunks(damaged, 4096), { expectStorage: true });
    expect(!result.ok && result.reason).toMatch(integrity);
    const preview = await previewImport(inChunks(damaged, 4096), { format: "zip", tableValidator: null });
    expect(preview.rejected).toMatch(integrity);
    const read = async () => {
      for await (const item of readSnapshot(inChunks(damaged, 4096))) {
        if (item.kind === "storageFile") await collect(item.chunks);
      }
    };
    await expect(read()).rejects.toThrow(integrity);
  });

  test("a central directory that disagrees with the data on an entry's size is refused", async () => {
    const small = fixtureZip([{ name: "README.md", data: CONVEX_README }]);
    const view = new DataView(small.buffer);
    // The central header's ZIP64 extra: uncompressed size is the first u64 after id and length.
    const centralStart = Number(view.getUint32(small.length - 22 + 16, true));
    const extraAt = centralStart + 46 + "README.md".length;
    view.setBigUint64(extraAt + 4, 10n, true);
    const result = await verifySnapshotZip(inChunks(small, 100), { expectStorage: false });
    expect(!result.ok && result.reason).toMatch(
      /Entry README\.md has \d+ bytes \(\d+ compressed\) but the central directory says 10 \(/,
    );
  });
});
