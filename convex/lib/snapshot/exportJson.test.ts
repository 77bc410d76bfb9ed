import { describe, expect, test } from "vitest";
import { seededRandom } from "./testBytes.helpers";
import {
  compareUtf8,
  decodeExportJson,
  encodeExportJson,
  formatFloat64,
  plainDocumentId,
  type ExportObject,
  type ExportValue,
} from "./exportJson";

describe("encodeExportJson", () => {
  test("a whole _creationTime is a float with .0 and an Int64 is bare digits", () => {
    const line = encodeExportJson({ _id: "abc", _creationTime: 1715973841548, count: 42n });
    expect(line).toBe('{"_creationTime":1715973841548.0,"_id":"abc","count":42}');
  });

  test("floats follow serde_json's layout: .0 below 1e16, plain decimals to 1e-5, exponents beyond", () => {
    expect(formatFloat64(1)).toBe("1.0");
    expect(formatFloat64(-0)).toBe("-0.0");
    expect(formatFloat64(0)).toBe("0.0");
    expect(formatFloat64(1.5)).toBe("1.5");
    expect(formatFloat64(-12.25)).toBe("-12.25");
    expect(formatFloat64(1e15)).toBe("1000000000000000.0");
    expect(formatFloat64(1234567890123456)).toBe("1234567890123456.0");
    expect(formatFloat64(1e16)).toBe("1e16");
    expect(formatFloat64(1.5e16)).toBe("1.5e16");
    expect(formatFloat64(1e21)).toBe("1e21");
    expect(formatFloat64(0.1)).toBe("0.1");
    expect(formatFloat64(0.00001)).toBe("0.00001");
    expect(formatFloat64(0.000001)).toBe("1e-6");
    expect(formatFloat64(1.25e-7)).toBe("1.25e-7");
    expect(formatFloat64(Number.MAX_VALUE)).toBe("1.7976931348623157e308");
    expect(formatFloat64(5e-324)).toBe("5e-324");
  });

  test("non-finite floats are $float with 8 little-endian bytes", () => {
    expect(encodeExportJson(Number.POSITIVE_INFINITY)).toBe('{"$float":"AAAAAAAA8H8="}');
    expect(encodeExportJson(Number.NEGATIVE_INFINITY)).toBe('{"$float":"AAAAAAAA8P8="}');
    expect(encodeExportJson(Number.NaN)).toBe('{"$float":"AAAAAAAA+H8="}');
  });

  test("bytes are $bytes in standard base64", () => {
    expect(encodeExportJson(new Uint8Array([0, 1, 2, 250, 255]).buffer)).toBe('{"$bytes":"AAEC+v8="}');
    expect(encodeExportJson(new ArrayBuffer(0))).toBe('{"$bytes":""}');
  });

  test("a typed array is refused rather than written as an object", () => {
    expect(() => encodeExportJson({ b: new Uint8Array([1]) as unknown as ArrayBuffer })).toThrow(
      /ArrayBuffer/,
    );
  });

  test("an undefined field is absent, as Convex stores a field patched to undefined; undefined elsewhere is refused", () => {
    const patched = { _id: "k1", done: true, progressAt: undefined } as unknown as ExportObject;
    expect(encodeExportJson(patched)).toBe('{"_id":"k1","done":true}');
    expect(encodeExportJson({ outer: { inner: undefined } } as unknown as ExportObject)).toBe('{"outer":{}}');
    expect(() => encodeExportJson([1n, undefined] as unknown as ExportValue)).toThrow(/undefined/);
    expect(() => encodeExportJson(undefined as unknown as ExportValue)).toThrow(/undefined/);
  });

  test("Int64 bounds are written exactly and out-of-range bigints are refused", () => {
    expect(encodeExportJson(-(2n ** 63n))).toBe("-9223372036854775808");
    expect(encodeExportJson(2n ** 63n - 1n)).toBe("9223372036854775807");
    expect(() => encodeExportJson(2n ** 63n)).toThrow(/64-bit/);
  });

  test("object keys are sorted by UTF-8 bytes, nested objects too, arrays keep their order", () => {
    const value = {
      b: 1n,
      B: 2n,
      _id: "x",
      a: { z: true, y: null },
      list: [3n, 1.5, "s"],
      é: 0n,
      "😀": 0n,
      "\uffff": 0n,
    };
    expect(encodeExportJson(value)).toBe(
      '{"B":2,"_id":"x","a":{"y":null,"z":true},"b":1,"list":[3,1.5,"s"],"é":0,"\uffff":0,"😀":0}',
    );
    expect(compareUtf8("\uffff", "😀")).toBeLessThan(0);
  });

  test("strings are escaped like serde_json (quotes, backslashes, control characters; not unicode)", () => {
    expect(encodeExportJson('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\n\\u0001é"');
  });
});

describe("decodeExportJson", () => {
  test("a lexical integer is an Int64 (bigint) and a number with a dot or exponent is a Float64", () => {
    expect(decodeExportJson('{"_creationTime":1715973841548.0,"n":7,"f":1e3,"g":-0.0}')).toEqual({
      _creationTime: 1715973841548,
      n: 7n,
      f: 1000,
      g: -0,
    });
    const decoded = decodeExportJson('{"a":1.0,"b":1}') as { a: unknown; b: unknown };
    expect(typeof decoded.a).toBe("number");
    expect(typeof decoded.b).toBe("bigint");
  });

  test("Int64 above 2^53 keeps every digit", () => {
    expect(decodeExportJson("9007199254740993")).toBe(9007199254740993n);
    expect(decodeExportJson("-9223372036854775808")).toBe(-(2n ** 63n));
  });

  test("an integer outside the Int64 range becomes a Float64, as serde_json's as_i64 fails", () => {
    expect(decodeExportJson("9223372036854775808")).toBe(9223372036854775808);
  });

  test("$float, $bytes and $integer objects decode to their values", () => {
    expect(decodeExportJson('{"$float":"AAAAAAAA8H8="}')).toBe(Number.POSITIVE_INFINITY);
    expect(decodeExportJson('{"$float":"AAAAAAAA+H8="}')).toBeNaN();
    expect(new Uint8Array(decodeExportJson('{"$bytes":"AAEC+v8="}') as ArrayBuffer)).toEqual(
      new Uint8Array([0, 1, 2, 250, 255]),
    );
    expect(decodeExportJson('{"$integer":"AQAAAAAAAAA="}')).toBe(1n);
  });

  test("bad $ objects and malformed JSON are refused with a position", () => {
    expect(() => decodeExportJson('{"$bytes":"AA","x":1}')).toThrow(/only field/);
    expect(() => decodeExportJson('{"$set":"AA=="}')).toThrow(/not a Convex value encoding|8 bytes/);
    expect(() => decodeExportJson('{"a":01}')).toThrow(/character/);
    expect(() => decodeExportJson('{"a":1')).toThrow(/Invalid JSON/);
    expect(() => decodeExportJson('{"a":1} x')).toThrow(/after the value/);
    expect(() => decodeExportJson('"abc')).toThrow(/unterminated/);
  });

  test("escapes and unicode decode like JSON.parse", () => {
    expect(decodeExportJson('"a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00"')).toBe('a"b\\c\né😀');
  });

  test("a __proto__ field is an ordinary field, not a prototype", () => {
    const decoded = decodeExportJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("every value survives encode → decode with its type", () => {
    const bytes = new Uint8Array([9, 8, 7]).buffer;
    const doc: ExportValue = {
      _creationTime: 1715973841548,
      _id: "k57abc",
      big: 2n ** 62n,
      whole: 3,
      neg: -0,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      tiny: 5e-324,
      bytes,
      nested: [{ x: 1n, y: [null, true, false, "s"] }],
    };
    const decoded = decodeExportJson(encodeExportJson(doc)) as Record<string, unknown>;
    expect(decoded).toEqual({ ...doc, bytes: expect.any(ArrayBuffer) });
    expect(Object.is(decoded.neg, -0)).toBe(true);
    expect(typeof decoded.whole).toBe("number");
    expect(new Uint8Array(decoded.bytes as ArrayBuffer)).toEqual(new Uint8Array([9, 8, 7]));
  });

  test("random floats round-trip exactly through their text", () => {
    const random = seededRandom();
    for (let i = 0; i < 2000; i++) {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setUint32(0, (random() * 2 ** 32) >>> 0);
      bits.setUint32(4, (random() * 2 ** 32) >>> 0);
      const x = bits.getFloat64(0);
      const decoded = decodeExportJson(encodeExportJson(x));
      if (Number.isNaN(x)) expect(decoded).toBeNaN();
      else expect(Object.is(decoded, x)).toBe(true);
      if (Number.isFinite(x)) expect(encodeExportJson(x)).toMatch(/[.e]/);
    }
  });
});

describe("plainDocumentId", () => {
  /** The id it names in `line`, or null. */
  const plainDocumentIdOf = (line: string) => {
    const span = plainDocumentId(line);
    return span === null ? null : line.slice(span.from, span.to);
  };
  const id = "j5700000040000000000004y6xwv3qsd";
  const document = `{"_creationTime":1715973841585.5,"_id":"${id}","n":1,"tags":["a",{"b":[true,false,null]}],"text":"line\\nbreak \\"quoted\\" \\u00e9","x":-0.5e-3}`;

  test("names the _id of a document whose _creationTime is a Float64, without decoding it", () => {
    expect(plainDocumentIdOf(document)).toBe(id);
    expect(plainDocumentIdOf(` {"_id" : "${id}" , "_creationTime" : 1e3 , "a" : { } , "b" : [ ] } `)).toBe(
      id,
    );
  });

  test("leaves to the full decode what it cannot be sure of, or what is wrong", () => {
    for (const line of [
      `{"_id":"${id}","_creationTime":1715973841585}`,
      `{"_id":"${id}"}`,
      `{"_creationTime":1.5}`,
      `{"_id":"${id}","_creationTime":1.5,"_id":"${id}"}`,
      `{"_id":"${id}","_creationTime":{"$float":"AAAAAAAA+H8="}}`,
      `{"\\u005fid":"${id}","_creationTime":1.5}`,
      `{"_id":"${id}","_creationTime":1.5,"b":{"$bytes":"AA=="}}`,
      `{"_id":"${id}","_creationTime":1.5,"s":"\\x"}`,
      `{"_id":"${id}","_creationTime":1.5,"n":01}`,
      `{"_id":"${id}","_creationTime":1.5,"n":1.}`,
      `{"_id":"${id}","_creationTime":1.5,}`,
      `{"_id":"${id}","_creationTime":1.5} x`,
      `[{"_id":"${id}","_creationTime":1.5}]`,
      `{"_id":"${id}","_creationTime":1.5,"deep":${"[".repeat(100)}${"]".repeat(100)}}`,
      "",
    ])
      expect(plainDocumentIdOf(line), line).toBeNull();
  });

  test("reads only its line of a longer text, and leaves a line with a control character to the decoder", () => {
    const line = `{"_id":"${id}","_creationTime":1.5,"t":"a\\"}"}`;
    const text = `${line}\r\n${line}\n{"_id":"${id}","_creationTime":2.5}`;
    const second = text.indexOf("\n") + 1;
    expect(plainDocumentId(text, 0, line.length)).toEqual({ from: 8, to: 8 + id.length });
    expect(plainDocumentId(text, second, second + line.length)).toEqual({
      from: second + 8,
      to: second + 8 + id.length,
    });
    // Cut inside the string, or with the line's end included, it is not a plain document.
    expect(plainDocumentId(text, 0, line.length - 3)).toBeNull();
    expect(plainDocumentId(text, 0, line.length + 1)).toBeNull();
    expect(plainDocumentIdOf(line.replace(",", ",\t"))).toBeNull();
    expect(plainDocumentIdOf(line.replace("a", "\u0001"))).toBeNull();
  });

  test("whatever it names, the full decode reads the same: damaged documents, many ways", () => {
    const random = seededRandom();
    const alphabet = [
      '"',
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      "\\",
      "$",
      "-",
      ".",
      "e",
      "0",
      "1",
      " ",
      "u",
      "x",
      "\n",
      "_",
    ];
    let named = 0;
    for (let round = 0; round < 20_000; round++) {
      let line = document;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (line.length + 1));
        const char = alphabet[Math.floor(random() * alphabet.length)]!;
        const kind = random();
        line =
          kind < 0.33
            ? line.slice(0, at) + line.slice(at + 1)
            : kind < 0.66
              ? line.slice(0, at) + char + line.slice(at)
              : line.slice(0, at) + char + line.slice(at + 1);
      }
      const plain = plainDocumentIdOf(line);
      if (plain === null) continue;
      named++;
      const decoded = decodeExportJson(line) as ExportObject;
      expect(decoded._id, line).toBe(plain);
      expect(typeof decoded._creationTime, line).toBe("number");
    }
    // Most edits inside a string value leave a document that is still plain.
    expect(named).toBeGreaterThan(2000);
  });
});
