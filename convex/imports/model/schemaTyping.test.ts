import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import schema from "../../schema";
import { csvAsJsonLines, jsonLineOf, typeCell, typeRowBySchema } from "./schemaTyping";
import { validatorJson } from "./validate";

const tasksValidator = validatorJson(schema.tables.tasks.validator);
const field = (validator: Parameters<typeof validatorJson>[0], optional = false) => ({
  fieldType: validatorJson(validator),
  optional,
});

describe("typeCell", () => {
  test('v.string() keeps the text as is: "0001" stays "0001", digits stay text', () => {
    expect(typeCell(field(v.string()), "0001")).toEqual({ value: "0001" });
    expect(typeCell(field(v.string()), "12345")).toEqual({ value: "12345" });
    expect(typeCell(field(v.string()), "")).toEqual({ value: "" });
  });

  test("v.boolean() takes true/false in any case and refuses 1/0/yes/no and 'maybe'", () => {
    expect(typeCell(field(v.boolean()), "TRUE")).toEqual({ value: true });
    expect(typeCell(field(v.boolean()), "false")).toEqual({ value: false });
    expect(typeCell(field(v.boolean()), "False")).toEqual({ value: false });
    for (const cell of ["1", "0", "yes", "no", "maybe", ""]) {
      expect(typeCell(field(v.boolean()), cell)).toEqual({
        problem: `${JSON.stringify(cell)} is not a boolean (write true or false).`,
      });
    }
  });

  test("v.number() parses a float by Convex's rule and refuses text", () => {
    expect(typeCell(field(v.number()), "0001")).toEqual({ value: 1 });
    expect(typeCell(field(v.number()), "-2.5e3")).toEqual({ value: -2500 });
    expect(typeCell(field(v.number()), "twelve")).toEqual({ problem: '"twelve" is not a number.' });
  });

  test("v.int64() parses a bigint beyond 2^53 exactly and refuses fractions and overflow", () => {
    expect(typeCell(field(v.int64()), "9007199254740993")).toEqual({ value: 9007199254740993n });
    expect(typeCell(field(v.int64()), "-7")).toEqual({ value: -7n });
    expect(typeCell(field(v.int64()), "1.5")).toEqual({ problem: '"1.5" is not a whole number (int64).' });
    expect(typeCell(field(v.int64()), "9223372036854775808")).toEqual({
      problem: '"9223372036854775808" is outside the int64 range.',
    });
  });

  test("v.id() keeps the string; literals and unions of literals match the text", () => {
    expect(typeCell(field(v.id("users")), "k17abc")).toEqual({ value: "k17abc" });
    const priority = field(v.union(v.literal("low"), v.literal("high")));
    expect(typeCell(priority, "high")).toEqual({ value: "high" });
    expect(typeCell(priority, "urgent")).toEqual({ problem: '"urgent" is none of "low", "high".' });
    expect(typeCell(field(v.literal(3)), "3")).toEqual({ value: 3 });
  });

  test("an empty cell: omitted for v.optional, null for v.null() and unions with null", () => {
    expect(typeCell(field(v.string(), true), "")).toEqual({ omit: true });
    expect(typeCell(field(v.number(), true), "4")).toEqual({ value: 4 });
    expect(typeCell(field(v.null()), "")).toEqual({ value: null });
    expect(typeCell(field(v.union(v.string(), v.null())), "")).toEqual({ value: null });
    expect(typeCell(field(v.union(v.string(), v.null())), "0001")).toEqual({ value: "0001" });
  });

  test("fields outside the schema and v.any() keep Convex's CSV rule", () => {
    expect(typeCell(null, "0001")).toEqual({ value: 1 });
    expect(typeCell(null, "abc")).toEqual({ value: "abc" });
    expect(typeCell(field(v.any()), "2")).toEqual({ value: 2 });
  });

  test("object and array fields parse the cell as JSON or refuse it", () => {
    expect(typeCell(field(v.array(v.string())), '["a","b"]')).toEqual({ value: ["a", "b"] });
    expect(typeCell(field(v.object({ a: v.number() })), '{"a":1}')).toEqual({ value: { a: 1 } });
    expect(typeCell(field(v.array(v.string())), "a;b")).toEqual({
      problem: '"a;b" is not JSON, which an array field needs.',
    });
  });
});

describe("typeRowBySchema", () => {
  const cells = { text: "0001", completed: "TRUE", userId: "k1", priority: "low", createdAt: "5" };

  test("a tasks row: the text stays a string, completed becomes a boolean, createdAt a number", () => {
    expect(typeRowBySchema(tasksValidator, { line: 2, value: {}, cells })).toEqual({
      line: 2,
      value: { text: "0001", completed: true, userId: "k1", priority: "low", createdAt: 5 },
      cells,
    });
  });

  test("a bad boolean is refused with its line number and column", () => {
    expect(
      typeRowBySchema(tasksValidator, { line: 7, value: {}, cells: { ...cells, completed: "maybe" } }),
    ).toMatchObject({
      line: 7,
      error: 'Column `completed`: "maybe" is not a boolean (write true or false).',
      problems: [{ field: "completed", kind: "type", wants: "a boolean" }],
    });
  });

  test("an empty cell of an optional field is left out of the document", () => {
    const optional = validatorJson(v.object({ name: v.string(), note: v.optional(v.string()) }));
    expect(typeRowBySchema(optional, { line: 3, value: {}, cells: { name: "a", note: "" } })).toEqual({
      line: 3,
      value: { name: "a" },
      cells: { name: "a", note: "" },
    });
  });

  test("a row the reader already refused passes through unchanged", () => {
    const ragged = { line: 4, error: "Wrong column count: 2 of the header's 5 columns." };
    expect(typeRowBySchema(tasksValidator, ragged)).toBe(ragged);
  });
});

describe("jsonLineOf", () => {
  test("int64 as Convex's $integer form, booleans and strings as JSON", () => {
    const line = jsonLineOf({ n: 1n, ok: true, zip: "0001", f: 1.5 });
    expect(JSON.parse(line)).toEqual({ n: { $integer: "AQAAAAAAAAA=" }, ok: true, zip: "0001", f: 1.5 });
    expect(line).not.toContain("\n");
  });
});

describe("csvAsJsonLines", () => {
  async function* chunked(text: string) {
    const bytes = new TextEncoder().encode(text);
    for (let offset = 0; offset < bytes.length; offset += 7) yield bytes.slice(offset, offset + 7);
  }
  async function text(lines: AsyncIterable<Uint8Array>) {
    let out = "";
    for await (const line of lines) out += new TextDecoder().decode(line);
    return out;
  }

  test("a CSV with a BOM and CRLF becomes one typed JSON line per row, keys sorted as Convex exports them", async () => {
    const file =
      '\uFEFFtext,completed,userId,priority,createdAt\r\n0001,TRUE,k1,low,5\r\n"a, b",false,k2,high,6\r\n';
    expect(await text(csvAsJsonLines(chunked(file), tasksValidator))).toBe(
      '{"completed":true,"createdAt":5,"priority":"low","text":"0001","userId":"k1"}\n' +
        '{"completed":false,"createdAt":6,"priority":"high","text":"a, b","userId":"k2"}\n',
    );
  });

  test("stops at a row that cannot be typed, naming its line", async () => {
    const file = "text,completed,userId,priority,createdAt\na,true,k1,low,5\nb,maybe,k1,low,5\n";
    await expect(text(csvAsJsonLines(chunked(file), tasksValidator))).rejects.toThrow(
      'Line 3: Column `completed`: "maybe" is not a boolean (write true or false).',
    );
  });
});
