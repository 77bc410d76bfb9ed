import { describe, expect, test } from "vitest";
import { isCsvNumber, csvCellValue } from "./convexTypes";
import {
  FileRejectedError,
  formatOfFileName,
  readCsv,
  readJsonArray,
  readJsonLines,
  type ParsedRow,
  type ReadNotes,
} from "./records";

const encoder = new TextEncoder();

/** The file cut into chunks of `size` bytes, so rows and even characters straddle chunk edges. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.slice(offset, offset + size);
}

async function rows(
  reader: typeof readCsv,
  file: string | Uint8Array,
  chunkSize = 7,
): Promise<{ rows: ParsedRow[]; notes: ReadNotes }> {
  const bytes = typeof file === "string" ? encoder.encode(file) : file;
  const notes: ReadNotes = { bomStripped: false, header: null };
  const out: ParsedRow[] = [];
  for await (const row of reader(chunked(bytes, chunkSize), notes)) out.push(row);
  return { rows: out, notes };
}

describe("Convex's CSV cell rule", () => {
  test.each([
    ["0001", 1],
    ["1.5", 1.5],
    ["-2e3", -2000],
    [".5", 0.5],
    ["inf", Infinity],
  ])("%s becomes the float %s", (cell, value) => expect(csvCellValue(cell)).toBe(value));

  test.each(["", " 1", "1,5", "0x10", "1_000", "12a", "true"])("%j stays a string", (cell) => {
    expect(isCsvNumber(cell)).toBe(false);
    expect(csvCellValue(cell)).toBe(cell);
  });
});

describe("readCsv on a messy spreadsheet export", () => {
  const file =
    "\uFEFFname , zip,note\r\n" +
    'Ann,0001,"likes commas, and ""quotes"""\r\n' +
    '"Bob",02134,"two\r\nlines"\r\n' +
    "Cy,,\r\n" +
    "\r\n" +
    "Dee,5\r\n" +
    "Eve,6,7,8\r\n";

  test("strips the BOM, trims the header, keeps quoted commas and newlines, types cells as Convex does", async () => {
    const { rows: parsed, notes } = await rows(readCsv, file);
    expect(notes).toEqual({ bomStripped: true, header: ["name", "zip", "note"] });
    expect(parsed.slice(0, 3).map((row) => ("value" in row ? [row.line, row.value] : row))).toEqual([
      [2, { name: "Ann", zip: 1, note: 'likes commas, and "quotes"' }],
      [3, { name: "Bob", zip: 2134, note: "two\r\nlines" }],
      [5, { name: "Cy", zip: "", note: "" }],
    ]);
  });

  test("reports ragged rows with the line they start on, skipping blank lines", async () => {
    const { rows: parsed } = await rows(readCsv, file);
    expect(parsed.slice(3).map((row) => ("error" in row ? [row.line, row.error] : row))).toEqual([
      [7, expect.stringMatching(/^Wrong column count: 2 of the header's 3/)],
      [8, expect.stringMatching(/^Wrong column count: 4 columns/)],
    ]);
  });

  test("a line of invalid UTF-8 is reported by number and the rows after it still parse", async () => {
    const bytes = new Uint8Array([
      ...encoder.encode("a,b\n1,2\n"),
      ...[0x78, 0xff, 0x2c, 0x33, 0x0a],
      ...encoder.encode("4,5\n"),
    ]);
    const { rows: parsed } = await rows(readCsv, bytes, 3);
    expect(parsed).toEqual([
      { line: 2, value: { a: 1, b: 2 }, cells: { a: "1", b: "2" } },
      { line: 3, error: "Line 3 is not valid UTF-8." },
      { line: 4, value: { a: 4, b: 5 }, cells: { a: "4", b: "5" } },
    ]);
  });

  test("a multi-byte character split across chunks decodes intact", async () => {
    const { rows: parsed } = await rows(readCsv, "city\nZürich\nKraków\n", 1);
    expect(parsed.map((row) => ("value" in row ? row.value.city : row))).toEqual(["Zürich", "Kraków"]);
  });

  test("an unclosed quote and a bad header are reported, the file without a header refused", async () => {
    expect((await rows(readCsv, 'a\n"never closed\nmore\n')).rows).toEqual([
      { line: 2, error: "A quoted field is never closed before the end of the file." },
    ]);
    await expect(rows(readCsv, "first name,age\nx,1\n")).rejects.toThrow(/not a valid Convex field name/);
    await expect(rows(readCsv, "")).rejects.toBeInstanceOf(FileRejectedError);
  });
});

describe("readJsonLines", () => {
  test("numbers stay floats, malformed lines and non-objects are reported with their numbers", async () => {
    const { rows: parsed, notes } = await rows(
      readJsonLines,
      '\uFEFF{"a":1}\r\n{"a": 2,\n\n[1,2]\n{"a":"x"}',
    );
    expect(notes.bomStripped).toBe(true);
    expect(parsed).toEqual([
      { line: 1, value: { a: 1 }, text: '{"a":1}' },
      { line: 2, error: expect.stringMatching(/^Malformed JSON/) },
      { line: 4, error: "The line is not a JSON object." },
      { line: 5, value: { a: "x" }, text: '{"a":"x"}' },
    ]);
  });
});

describe("readJsonArray", () => {
  test("each element is parsed on its own and reported by the line it starts on", async () => {
    const { rows: parsed } = await rows(
      readJsonArray,
      '[\n  {"a": "x,]"},\n  {"a": 1,,},\n  {"b": [1, {"c": 2}]}\n]',
    );
    expect(parsed).toEqual([
      { line: 2, value: { a: "x,]" }, text: '{"a": "x,]"}' },
      { line: 3, error: expect.stringMatching(/^Malformed JSON/) },
      { line: 4, value: { b: [1, { c: 2 }] }, text: '{"b": [1, {"c": 2}]}' },
    ]);
  });

  test("a file over Convex's 16 MiB limit is refused before parsing", async () => {
    const big = new Uint8Array(16 * 1024 * 1024 + 1).fill(0x20);
    await expect(rows(readJsonArray, big, 1024 * 1024)).rejects.toThrow(/16 MiB/);
  });
});

test("formats follow the file's extension, as the CLI picks them", () => {
  expect(["a.CSV", "b.jsonl", "c.json", "d.zip", "e.txt"].map(formatOfFileName)).toEqual([
    "csv",
    "jsonLines",
    "jsonArray",
    "zip",
    null,
  ]);
});
