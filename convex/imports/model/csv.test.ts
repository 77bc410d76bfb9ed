import { describe, expect, test } from "vitest";
import { previewImport } from "./preview";
import { readCsvRecords } from "./csv";
import { LineTooLongError, MAX_LINE_BYTES } from "../../lib/snapshot/lines";
import { inChunks, seededRandom } from "../../lib/snapshot/testBytes.helpers";

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

  test("a U+FEFF at the start of a later record or field is kept in its cell (only the file's first is a BOM)", async () => {
    const bytes = encoder.encode("\uFEFFa,b\n\uFEFFx,\uFEFFy\n");
    for (const size of [1, 3, 100]) {
      const out = [];
      for await (const record of readCsvRecords(inPieces(bytes, size))) out.push(record.fields);
      // A first piece too short to hold the BOM keeps it too: the header then names it (refused there).
      expect(out.slice(1)).toEqual([["\uFEFFx", "\uFEFFy"]]);
    }
  });

  test("invalid UTF-8 split by a closing quote decodes as one character: each field's bytes are judged, as csv_async does", async () => {
    const bytes = Uint8Array.of(...encoder.encode('a\n"'), 0xc3, 0x22, 0xa9, 0x0a);
    const out = [];
    for await (const record of readCsvRecords(inPieces(bytes, 100)))
      out.push({ fields: record.fields, invalidUtf8: record.invalidUtf8 });
    expect(out).toEqual([
      { fields: ["a"], invalidUtf8: null },
      { fields: ["é"], invalidUtf8: null },
    ]);
  });

  test("a byte-order mark cut across the first pieces is still dropped, and reported once", async () => {
    const read = async (size: number) => {
      let boms = 0;
      const records = [];
      for await (const record of readCsvRecords(inPieces("\uFEFFa,b\n1,2\n", size), () => boms++))
        records.push(record);
      return { boms, fields: records.map((record) => record.fields) };
    };
    const whole = await read(64);
    expect(whole).toEqual({
      boms: 1,
      fields: [
        ["a", "b"],
        ["1", "2"],
      ],
    });
    for (const size of [1, 2]) expect(await read(size)).toEqual(whole);
  });

  test("the same records whatever the cuts: quotes, CR/LF, multi-byte characters, invalid bytes", async () => {
    const random = seededRandom();
    const pieces = ["a", ",", '"', '""', "\r", "\n", "\r\n", "é", "😀", "\uFEFF", "x y", "12"];
    const parts: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Now and then a byte that is not UTF-8: a lone continuation byte or a cut-off lead byte.
      if (random() < 0.01) parts.push(random() < 0.5 ? 0x80 : 0xe2);
      else parts.push(...encoder.encode(pieces[Math.floor(random() * pieces.length)]!));
    }
    const bytes = Uint8Array.from(parts);
    const read = async (chunks: AsyncIterable<Uint8Array>) => {
      const out = [];
      for await (const record of readCsvRecords(chunks)) out.push(record);
      return out;
    };
    const whole = await read(inPieces(bytes, bytes.length));
    expect(whole.some((record) => record.invalidUtf8 !== null)).toBe(true);
    expect(whole.some((record) => record.invalidUtf8 === null && record.fields.join("").includes("😀"))).toBe(
      true,
    );
    for (const maxChunk of [1, 5, 300, 70_000]) expect(await read(inChunks(bytes, maxChunk))).toEqual(whole);
  });

  test(`a record of ${MAX_LINE_BYTES} bytes of cells is read, one byte more is refused, across pieces`, async () => {
    for (const cell of ["x", "é"]) {
      const fits = cell.repeat(MAX_LINE_BYTES / encoder.encode(cell).length);
      const fitting = [];
      for await (const record of readCsvRecords(inPieces(`a\n"${fits}"\n`, 65536))) fitting.push(record);
      expect(fitting[1]!.fields[0]!.length).toBe(fits.length);
      await expect(async () => {
        for await (const _ of readCsvRecords(inPieces(`a\n"${fits}",x\n`, 65536))) void _;
      }).rejects.toThrow(LineTooLongError);
    }
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
