import { describe, expect, test } from "vitest";
import { encodeBase64 } from "./base64";
import { snapshotOf, storageFile, tasks, testId } from "./snapshotFixture.helpers";
import { snapshotEntries, snapshotZipChunks, type Snapshot } from "./snapshotZip";
import { collect, flipByte } from "./testBytes.helpers";
import { verifySnapshotZip, type VerifyOptions } from "./verify";
import { zipChunks, type ZipEntrySource } from "./zipWriter";

const modifiedAt = new Date("2026-05-17T19:24:01Z");
const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function zipOf(snapshot: Snapshot, options: { store?: boolean } = {}) {
  return collect(snapshotZipChunks(snapshot, { modifiedAt, level: options.store ? 1 : 6 }));
}

/** The snapshot's entries with some removed or replaced, to build damaged archives. */
async function editedZip(snapshot: Snapshot, edit: (entry: ZipEntrySource) => ZipEntrySource | null) {
  const entries: ZipEntrySource[] = [];
  for await (const entry of snapshotEntries(snapshot)) {
    const edited = edit(entry);
    if (edited) entries.push(edited);
  }
  return collect(zipChunks(entries, { modifiedAt }));
}

const verify = (zip: Uint8Array<ArrayBuffer>, options: Partial<VerifyOptions> = {}) =>
  verifySnapshotZip(new Blob([zip]).stream(), { expectStorage: false, ...options });

describe("verifySnapshotZip", () => {
  test("a good backup passes with per-table row counts, storage totals and the archive's SHA-256", async () => {
    const files = [storageFile(1, "hello"), storageFile(2, "world!")];
    const zip = await zipOf(snapshotOf({ tasks: tasks(1234), users: tasks(3, 10002), empty: [] }, files));
    const progress: number[] = [];
    const result = await verify(zip, {
      expectStorage: true,
      expectedSize: zip.length,
      expectedSha256: hex(await crypto.subtle.digest("SHA-256", zip)),
      onProgress: (p) => void progress.push(p.entriesRead),
    });
    expect(result).toMatchObject({
      ok: true,
      totalRows: 1237,
      storageFiles: 2,
      storageBytes: 11,
      zipBytes: zip.length,
    });
    expect(result.tables).toEqual([
      { component: "", table: "tasks", rows: 1234 },
      { component: "", table: "users", rows: 3 },
      { component: "", table: "empty", rows: 0 },
    ]);
    expect(result.ok && result.sha256).toBe(hex(await crypto.subtle.digest("SHA-256", zip)));
    expect(progress.at(-1)).toBe(result.entries);
  });

  test("a truncated ZIP fails, saying it is truncated", async () => {
    const zip = await zipOf(snapshotOf({ tasks: tasks(2000) }));
    const result = await verify(zip.subarray(0, Math.floor(zip.length / 2)));
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toMatch(
      /ends in the middle of entry tasks\/documents\.jsonl: it is truncated/,
    );
  });

  test("a flipped byte fails, naming the damaged entry", async () => {
    const zip = await zipOf(snapshotOf({ tasks: tasks(2000) }));
    flipByte(zip, Math.floor(zip.length / 2), 0x10);
    const result = await verify(zip);
    expect(!result.ok && result.reason).toMatch(
      /Entry tasks\/documents\.jsonl (is corrupt|failed its CRC-32 check|failed its size check)/,
    );
  });

  test("a missing table file fails, naming the table and the file", async () => {
    const snapshot = snapshotOf({ tasks: tasks(5), users: tasks(2, 10002) });
    const withoutDocuments = await editedZip(snapshot, (e) =>
      e.name === "users/documents.jsonl" ? null : e,
    );
    expect(await verify(withoutDocuments)).toMatchObject({
      ok: false,
      reason: "Table users is listed in _tables/documents.jsonl but users/documents.jsonl is missing.",
    });
    const withoutSchema = await editedZip(snapshot, (e) =>
      e.name === "tasks/generated_schema.jsonl" ? null : e,
    );
    expect(await verify(withoutSchema)).toMatchObject({
      ok: false,
      reason: "Table tasks is listed but tasks/generated_schema.jsonl is missing.",
    });
    const withoutReadme = await editedZip(snapshot, (e) => (e.name === "README.md" ? null : e));
    expect(await verify(withoutReadme)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/README\.md is missing/),
    });
    const withoutTables = await editedZip(snapshot, (e) => (e.name === "_tables/documents.jsonl" ? null : e));
    expect(await verify(withoutTables)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/_tables\/documents\.jsonl is missing/),
    });
  });

  test("a storage file with the wrong hash, the wrong size or no file at all fails precisely", async () => {
    const good = storageFile(1, "hello");
    const wrongHash = { ...good, sha256: encodeBase64(new Uint8Array(32)) };
    const result = await verify(await zipOf(snapshotOf({ tasks: tasks(1) }, [wrongHash])), {
      expectStorage: true,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: `Storage file _storage/${good.id} has SHA-256 ${good.sha256} but its metadata says ${wrongHash.sha256}.`,
    });
    const wrongSize = await verify(await zipOf(snapshotOf({ tasks: tasks(1) }, [{ ...good, size: 6 }])));
    expect(!wrongSize.ok && wrongSize.reason).toBe(
      `Storage file _storage/${good.id} has 5 bytes but its metadata says 6.`,
    );
    const snapshot = snapshotOf({ tasks: tasks(1) }, [good]);
    const missing = await editedZip(snapshot, (e) => (e.name.startsWith(`_storage/${good.id}`) ? null : e));
    expect(!(await verify(missing)).ok).toBe(true);
    expect(((await verify(missing)) as { reason: string }).reason).toMatch(
      /listed in _storage\/documents\.jsonl but missing/,
    );
  });

  test("storage was requested but _storage/documents.jsonl is absent", async () => {
    const result = await verify(await zipOf(snapshotOf({ tasks: tasks(1) })), { expectStorage: true });
    expect(!result.ok && result.reason).toBe(
      "The backup includes file storage but _storage/documents.jsonl is missing.",
    );
  });

  test("documents that import would refuse fail with the line number", async () => {
    const snapshot = snapshotOf({ tasks: tasks(3) });
    const replace = (text: string) =>
      editedZip(snapshot, (e) => (e.name === "tasks/documents.jsonl" ? { name: e.name, data: text } : e));
    const id = testId(10001, 0);
    const cases: [string, RegExp][] = [
      [
        `{"_id":"${id}","_creationTime":1.0}\n{"_id":"nope","_creationTime":1.0}\n`,
        /line 2 has _id "nope", which is not a valid Convex id/,
      ],
      [`{"_id":"${id}","_creationTime":1715973841548}\n`, /line 1 has a _creationTime that is not a Float64/],
      [`{"_id":"${id}","_creationTime":1.0}\n{"_id":`, /line 2 is not valid export JSON/],
      [
        `{"_id":"${testId(10009, 0)}","_creationTime":1.0}\n`,
        /listed as table number 10001 but its ids belong to table number 10009/,
      ],
      [`{"_id":"${id}","_creationTime":1.0}\n\n`, /line 2 is empty/],
      [`[1]\n`, /line 1 is not a JSON object/],
    ];
    for (const [text, reason] of cases) {
      const result = await verify(await replace(text));
      expect(result.ok, text).toBe(false);
      expect(!result.ok && result.reason).toMatch(reason);
    }
  });

  test("a recorded digest or size that does not match fails", async () => {
    const zip = await zipOf(snapshotOf({ tasks: tasks(3) }));
    const wrongDigest = await verify(zip, { expectedSha256: "0".repeat(64) });
    expect(!wrongDigest.ok && wrongDigest.reason).toMatch(/SHA-256 is [0-9a-f]{64} but 0{64} was recorded/);
    const wrongSize = await verify(zip, { expectedSize: zip.length + 1 });
    expect(!wrongSize.ok && wrongSize.reason).toBe(
      `The ZIP has ${zip.length} bytes but the export reported ${zip.length + 1}.`,
    );
  });

  test("component tables are checked and counted under their component's prefix", async () => {
    const component = "_components/waitlist/";
    const entries: ZipEntrySource[] = [];
    for await (const entry of snapshotEntries(snapshotOf({ tasks: tasks(2) }))) entries.push(entry);
    entries.push(
      { name: `${component}_tables/documents.jsonl`, data: '{"name":"signups","id":10001}\n' },
      {
        name: `${component}signups/documents.jsonl`,
        data: `{"_creationTime":1.0,"_id":"${testId(10001, 9)}"}\n`,
      },
      { name: `${component}signups/generated_schema.jsonl`, data: '"uniform"\n' },
    );
    const result = await verify(await collect(zipChunks(entries, { modifiedAt })));
    expect(result).toMatchObject({ ok: true, totalRows: 3 });
    expect(result.tables).toContainEqual({ component, table: "signups", rows: 1 });
    const unlisted = entries.filter((e) => e.name !== `${component}_tables/documents.jsonl`);
    const failure = await verify(await collect(zipChunks(unlisted, { modifiedAt })));
    expect(!failure.ok && failure.reason).toBe(
      `${component}signups/documents.jsonl is in the ZIP but not listed in ${component}_tables/documents.jsonl.`,
    );
  });

  test("a failed verification cancels the stream it was reading", async () => {
    const readmeOnly = await collect(zipChunks([{ name: "README.md", data: "x" }], { modifiedAt }));
    const centralStart = new DataView(readmeOnly.buffer).getUint32(readmeOnly.length - 6, true);
    let canceled = false;
    let sentEntry = false;
    // One good entry, then garbage that would never end: only cancelling stops it.
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(sentEntry ? new Uint8Array(1000).fill(7) : readmeOnly.slice(0, centralStart));
        sentEntry = true;
      },
      cancel() {
        canceled = true;
      },
    });
    const result = await verifySnapshotZip(source, { expectStorage: false });
    expect(!result.ok && result.reason).toMatch(/Unexpected bytes at offset \d+ \(signature 0x07070707\)/);
    expect(canceled).toBe(true);
  });

  test("files outside the snapshot layout are noted, not fatal", async () => {
    const zip = await editedZip(snapshotOf({ tasks: tasks(1) }), (e) => e);
    const extra = await collect(
      zipChunks(
        [
          { name: "README.md", data: "x" },
          { name: "_tables/documents.jsonl", data: "" },
          { name: "notes.txt", data: "hi" },
        ],
        { modifiedAt },
      ),
    );
    expect((await verify(zip)).ok).toBe(true);
    expect(await verify(extra)).toMatchObject({
      ok: true,
      notes: ["notes.txt is not part of a Convex snapshot; import ignores it."],
    });
  });
});
