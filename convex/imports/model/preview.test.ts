import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import schema from "../../schema";
import { encodeConvexId } from "../../lib/snapshot/convexId";
import { sha256 } from "../../lib/snapshot/sha256";
import { previewImport } from "./preview";
import { validatorJson } from "./validate";

const encoder = new TextEncoder();
const tasksValidator = validatorJson(schema.tables.tasks.validator);

async function* once(text: string | Uint8Array): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  for (let offset = 0; offset < bytes.length; offset += 5) yield bytes.slice(offset, offset + 5);
}

const USER_ID = encodeConvexId(10_001, new Uint8Array(16).fill(7));

describe("previewImport", () => {
  test("a CSV of contacts: types, counts, first rows, the leading-zero warning, digest of the whole file", async () => {
    const file = "\uFEFFname,zip,joined\nAnn,0001,2026\nBob,10115,2025\nCy,x,\n";
    const preview = await previewImport(once(file), { format: "csv", tableValidator: null });
    expect(preview).toMatchObject({
      rows: 3,
      validRows: 3,
      invalidCount: 0,
      rejected: null,
      bytes: encoder.encode(file).length,
    });
    expect(preview.fields).toEqual([
      { name: "name", types: ["string"], empty: 0 },
      { name: "zip", types: ["float64", "string"], empty: 0 },
      { name: "joined", types: ["float64", "string"], empty: 1 },
    ]);
    expect(preview.firstRows[0]).toBe('{"name":"Ann","zip":1,"joined":2026}');
    expect(preview.warnings).toEqual([
      expect.stringMatching(/byte-order mark/),
      'Column `zip` has leading zeros (e.g. "0001") and will lose them: Convex reads the cell as the number 1.',
    ]);
    expect(preview.sha256).toBe(
      [...sha256(encoder.encode(file))].map((b) => b.toString(16).padStart(2, "0")).join(""),
    );
  });

  test("JSON Lines of tasks checked against the tasks schema: each refused row with its line and reason", async () => {
    const good = { text: "Rotate keys", completed: false, userId: USER_ID, priority: "high", createdAt: 1 };
    const file = [
      JSON.stringify(good),
      JSON.stringify({ ...good, priority: "urgent" }),
      "{not json",
      JSON.stringify({ ...good, extra: 1 }),
      JSON.stringify({ text: "x" }),
    ].join("\n");
    const preview = await previewImport(once(file), { format: "jsonLines", tableValidator: tasksValidator });
    expect(preview.rows).toBe(5);
    expect(preview.validRows).toBe(1);
    expect(preview.invalidLines).toEqual([
      {
        line: 2,
        reason: 'Field `priority` is "urgent"; the table\'s validator wants "low" or "medium" or "high".',
      },
      { line: 3, reason: expect.stringMatching(/^Malformed JSON/) },
      { line: 4, reason: "Field `extra` is not in the table's schema." },
      {
        line: 5,
        reason:
          "Field `completed` is missing; the table requires it. Field `userId` is missing; the table requires it. Field `priority` is missing; the table requires it. Field `createdAt` is missing; the table requires it.",
      },
    ]);
    expect(preview.warnings).toEqual([]);
  });

  test("a CSV aimed at tasks: digit text in a v.string() column and the boolean CSV cannot hold are called out", async () => {
    const file = `text,completed,userId,priority,createdAt\n12345,false,${USER_ID},low,1\n`;
    const preview = await previewImport(once(file), { format: "csv", tableValidator: tasksValidator });
    expect(preview.invalidLines).toEqual([
      {
        line: 2,
        reason:
          "Field `text` is 12345; the table's validator wants a string. Field `completed` is \"false\"; the table's validator wants a boolean.",
      },
    ]);
    expect(preview.warnings).toEqual([
      'Column `text` is v.string() in the schema, but cells like "12345" become numbers in a CSV import, and those rows will fail.',
      'Column `completed` holds true/false, which a CSV import keeps as the strings "true" and "false" (Convex infers no booleans from CSV).',
      "The table requires `completed` to be a boolean, which no CSV cell can become: import this table from JSON Lines or a JSON array instead.",
    ]);
  });

  test("the same CSV typed by the tasks schema: strings kept, booleans typed, Convex-rule warnings gone", async () => {
    const file = `text,completed,userId,priority,createdAt\n0001,TRUE,${USER_ID},low,1\n12345,maybe,${USER_ID},low,2\n`;
    const preview = await previewImport(once(file), { format: "csv", tableValidator: tasksValidator });
    expect(preview.invalidCount).toBe(2);
    expect(preview.typedBySchema).toMatchObject({
      rows: 2,
      validRows: 1,
      invalidCount: 1,
      invalidLines: [
        { line: 3, reason: 'Column `completed`: "maybe" is not a boolean (write true or false).' },
      ],
      warnings: [],
      rejected: null,
    });
    expect(preview.typedBySchema?.fields).toEqual([
      { name: "text", types: ["string"], empty: 0 },
      { name: "completed", types: ["boolean"], empty: 0 },
      { name: "userId", types: ["string"], empty: 0 },
      { name: "priority", types: ["string"], empty: 0 },
      { name: "createdAt", types: ["float64"], empty: 0 },
    ]);
    expect(preview.typedBySchema?.firstRows).toEqual([
      `{"text":"0001","completed":true,"userId":"${USER_ID}","priority":"low","createdAt":1}`,
    ]);
  });

  test("the schema-typed preview counts the empty cells of an optional field, which the row omits", async () => {
    const notes = validatorJson(v.object({ name: v.string(), note: v.optional(v.string()) }));
    const file = "name,note\nAnn,\nBob,call back\nCy,\n";
    const preview = await previewImport(once(file), { format: "csv", tableValidator: notes });
    expect(preview.typedBySchema?.fields).toEqual([
      { name: "name", types: ["string"], empty: 0 },
      { name: "note", types: ["string"], empty: 2 },
    ]);
    expect(preview.typedBySchema?.firstRows[0]).toBe('{"name":"Ann"}');
  });

  test("no schema-typed preview for JSON, or for a table the console does not know", async () => {
    const csv = await previewImport(once("a\n1\n"), { format: "csv", tableValidator: null });
    expect(csv.typedBySchema).toBeNull();
    const jsonl = await previewImport(once('{"text":"a"}\n'), {
      format: "jsonLines",
      tableValidator: tasksValidator,
    });
    expect(jsonl.typedBySchema).toBeNull();
  });

  test("JSON numbers for an unknown table carry the float warning", async () => {
    const preview = await previewImport(once('{"n":1}\n'), { format: "jsonLines", tableValidator: null });
    expect(preview.warnings).toEqual([
      "JSON numbers become floats in Convex (`n`); a v.int64() field refuses them.",
    ]);
  });

  test("invalid lines are kept up to the bound but all are counted", async () => {
    const file = "a,b\n" + "1\n".repeat(500);
    const preview = await previewImport(once(file), { format: "csv", tableValidator: null });
    expect(preview.invalidCount).toBe(500);
    expect(preview.invalidLines).toHaveLength(50);
    expect(preview.invalidLines[49]!.line).toBe(51);
  });

  test("a file Convex would refuse whole says why and still names its digest", async () => {
    const preview = await previewImport(once('{"a":1}'), { format: "jsonArray", tableValidator: null });
    expect(preview.rejected).toBe("A JSON array file must start with [.");
    expect(preview.sha256).toHaveLength(64);
  });
});

/**
 * MEMORY TEST: a 200 MB CSV generated on the fly (never held whole) streams through the preview
 * while the heap stays bounded; a parser that buffered the file would grow by hundreds of MB.
 */
describe("streaming a generated 200 MB CSV (memory bound)", () => {
  test("the heap grows by less than 64 MB", { timeout: 120_000 }, async () => {
    const target = 200 * 1024 * 1024;
    const row = encoder.encode(`${"x".repeat(60)},0042,"quoted, with comma",12.5\r\n`);
    const block = new Uint8Array(row.length * 10_000);
    for (let index = 0; index < 10_000; index++) block.set(row, index * row.length);
    let peakHeap = 0;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    async function* generated() {
      yield encoder.encode("name,code,note,amount\r\n");
      for (let sent = 0; sent < target; sent += block.length) {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        yield block;
      }
    }
    const preview = await previewImport(generated(), { format: "csv", tableValidator: null });
    expect(preview.bytes).toBeGreaterThan(target);
    expect(preview.rows).toBe(Math.ceil(target / block.length) * 10_000);
    expect(preview.invalidCount).toBe(0);
    expect(peakHeap - baseline).toBeLessThan(64 * 1024 * 1024);
  });
});
