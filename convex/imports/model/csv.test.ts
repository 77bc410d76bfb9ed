import { describe, expect, test } from "vitest";
import { previewImport } from "./preview";
import { readCsvRecords } from "./csv";

const encoder = new TextEncoder();

async function* inPieces(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function records(text: string, size = 3) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const record of readCsvRecords(inPieces(text, size)))
    out.push({ line: record.line, fields: record.fields });
  return out;
}

describe("CSV records as csv_async reads them", () => {
  test("a bare \\r ends a record, as \\n and \\r\\n do, across any chunking", async () => {
    for (const size of [1, 2, 3, 100]) {
      expect(await records("a,b\r1,2\r3,4\r", size)).toEqual([
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] },
        { line: 3, fields: ["3", "4"] },
      ]);
      expect(await records("a,b\r\n1,2\n\n3,4", size)).toEqual([
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] },
        { line: 4, fields: ["3", "4"] },
      ]);
    }
  });

  test("a character split by a comma is invalid UTF-8, though its fields' bytes side by side would decode", async () => {
    const bytes = Uint8Array.of(...encoder.encode("a,b\né,"), 0xc3, 0x2c, 0xa9, 0x0a);
    const out = [];
    for await (const record of readCsvRecords(inPieces(bytes, 100)))
      out.push({ line: record.line, fields: record.fields.length, invalidUtf8: record.invalidUtf8 });
    expect(out).toEqual([
      { line: 1, fields: 2, invalidUtf8: null },
      { line: 2, fields: 3, invalidUtf8: 2 },
    ]);
  });

  test("quotes: doubled quotes, separators and line ends kept inside, a stray quote kept as a character", async () => {
    expect(await records('a,b\r\n"x, ""y""","two\r\nlines"\nab"c,"q"r\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ['x, "y"', "two\r\nlines"] },
      { line: 4, fields: ['ab"c', "qr"] },
    ]);
  });

  test("the preview of a CSV with bare \\r line ends counts its rows instead of refusing it", async () => {
    const preview = await previewImport(inPieces("a,b\r1,2\r3,4\r", 4), {
      format: "csv",
      tableValidator: null,
    });
    expect(preview).toMatchObject({ rejected: null, rows: 2, validRows: 2 });
    expect(preview.firstRows).toEqual(['{"a":1,"b":2}', '{"a":3,"b":4}']);
  });

  test("a header of 100k columns (889 KB) is previewed in linear time", async () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    const file = `${names.join(",")}\n${names.map(() => "1").join(",")}\n`;
    const started = Date.now();
    const preview = await previewImport(inPieces(file, 65536), { format: "csv", tableValidator: null });
    expect(preview).toMatchObject({ rejected: null, rows: 1, validRows: 1 });
    // The quadratic duplicate check took 17–24 s here; linear work takes about a second.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  test("a duplicate among 100k header names is still named", async () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
    names.push("c77");
    const preview = await previewImport(inPieces(`${names.join(",")}\n`, 65536), {
      format: "csv",
      tableValidator: null,
    });
    expect(preview.rejected).toBe("The header row names the column `c77` twice.");
  });
});

describe("a preview's budget", () => {
  const rows = (count: number) =>
    `name,n\n${Array.from({ length: count }, (_, i) => `row${i},${i}`).join("\n")}\n`;

  test("stops at its row limit with a sentence", async () => {
    const preview = await previewImport(inPieces(rows(100_000), 4096), {
      format: "csv",
      tableValidator: null,
      budget: { bytes: 2 ** 30, rows: 1000, ms: 60_000 },
    });
    expect(preview.rejected).toBe(
      "The preview stopped after 1,000 rows, the most one preview counts; split the file.",
    );
  });

  test("stops at its byte and time limits with a sentence", async () => {
    const bytes = await previewImport(inPieces(rows(100_000), 4096), {
      format: "csv",
      tableValidator: null,
      budget: { bytes: 100_000, rows: 1e9, ms: 60_000 },
    });
    expect(bytes.rejected).toMatch(/^The preview stopped after 100,000 bytes/);
    const time = await previewImport(inPieces(rows(100_000), 4096), {
      format: "csv",
      tableValidator: null,
      budget: { bytes: 2 ** 30, rows: 1e9, ms: -1 },
    });
    expect(time.rejected).toMatch(/^The preview stopped after 0 seconds, the longest one preview may run/);
  });

  test("yields to the event loop while it parses: a 10 ms timer is never held up long (the whole parse, without it)", async () => {
    let last = Date.now();
    let worst = 0;
    const timer = setInterval(() => {
      worst = Math.max(worst, Date.now() - last);
      last = Date.now();
    }, 10);
    async function* synchronousChunks() {
      // Chunks that are ready at once, as from a fast disk: nothing else would let the loop turn.
      const block = encoder.encode(Array.from({ length: 2000 }, (_, i) => `row${i},${i}`).join("\n") + "\n");
      yield encoder.encode("name,n\n");
      for (let i = 0; i < 100; i++) yield block;
    }
    try {
      const preview = await previewImport(synchronousChunks(), { format: "csv", tableValidator: null });
      expect(preview.rows).toBe(200_000);
    } finally {
      // The gap since the timer last ran counts too (if it never ran, that is the whole preview).
      worst = Math.max(worst, Date.now() - last);
      clearInterval(timer);
    }
    expect(worst).toBeLessThan(250);
  });
});
