import { decodeBase64, encodeBase64 } from "./base64";

/**
 * Convex's "export JSON" (ConvexExportJSON, the clean lossless format of snapshot ZIPs): the JSON
 * lexical form carries the type. An Int64 is a bare integer, a finite Float64 always has a dot or an
 * exponent (`1.0`, `-0.0`, `1e16`), NaN/±Infinity are `{"$float": base64 of 8 little-endian bytes}`
 * and bytes are `{"$bytes": base64}`. Object keys are sorted by their UTF-8 bytes, as Rust's BTreeMap
 * orders them. JSON.parse cannot read it (it turns `1.0` and `1` into the same number), so this module
 * has its own reader.
 */
export type ExportValue =
  null | boolean | bigint | number | string | ArrayBuffer | ExportValue[] | { [key: string]: ExportValue };

export type ExportObject = { [key: string]: ExportValue };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export class ExportJsonError extends Error {
  override name = "ExportJsonError";
}

/** Encodes one value (a document is an object) as Convex writes it into `documents.jsonl`. */
export function encodeExportJson(value: ExportValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "bigint":
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new ExportJsonError(`${value} does not fit in a 64-bit integer.`);
      }
      return value.toString();
    case "number":
      return Number.isFinite(value) ? formatFloat64(value) : `{"$float":"${float64Base64(value)}"}`;
  }
  if (value instanceof ArrayBuffer) return `{"$bytes":"${encodeBase64(new Uint8Array(value))}"}`;
  // A typed array is not a Convex value; written as an object it would silently become {"0":…}.
  if (ArrayBuffer.isView(value))
    throw new ExportJsonError("Bytes must be an ArrayBuffer, not a typed array.");
  if (Array.isArray(value)) return `[${value.map(encodeExportJson).join(",")}]`;
  if (typeof value === "object") {
    // A field set to undefined is a missing field, as Convex's values treat it (a patch to
    // undefined removes the field); undefined anywhere else is not a value and is refused below.
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareUtf8);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${encodeExportJson(value[key]!)}`).join(",")}}`;
  }
  throw new ExportJsonError(`Cannot encode a value of type ${typeof value}.`);
}

/** Orders strings by code point, which is the order of their UTF-8 bytes (BTreeMap<String, _>). */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * A finite float the way serde_json (ryu) prints it: shortest round-trip digits, written out with a
 * trailing `.0` below 1e16, as a plain decimal down to 1e-5, and with an exponent otherwise.
 */
export function formatFloat64(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const length = digits.length;
  // The value is 0.d1d2…dn × 10^point.
  const point = Number(exponentText) + 1;
  if (point >= length && point <= 16) return `${sign}${digits}${"0".repeat(point - length)}.0`;
  if (point > 0 && point <= 16) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  if (point > -5 && point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  const exponent = point - 1;
  return length === 1 ? `${sign}${digits}e${exponent}` : `${sign}${digits[0]}.${digits.slice(1)}e${exponent}`;
}

function float64Base64(value: number): string {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return encodeBase64(bytes);
}

/** Decodes one line of `documents.jsonl` (or any export JSON text) without losing Int64/Float64. */
export function decodeExportJson(text: string): ExportValue {
  const reader = new Reader(text);
  reader.skipWhitespace();
  const value = reader.value();
  reader.skipWhitespace();
  if (reader.pos !== text.length) reader.fail("unexpected text after the value");
  return value;
}

/** Sticky, so it matches at `lastIndex`; one object for every number (a literal would make one per call). */
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new ExportJsonError(`Invalid JSON at character ${this.pos + 1}: ${what}.`);
  }

  skipWhitespace() {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      this.pos++;
    }
  }

  value(): ExportValue {
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    if (this.text.startsWith("true", this.pos)) return ((this.pos += 4), true);
    if (this.text.startsWith("false", this.pos)) return ((this.pos += 5), false);
    if (this.text.startsWith("null", this.pos)) return ((this.pos += 4), null);
    return this.fail(c === undefined ? "the text ends early" : `unexpected ${JSON.stringify(c)}`);
  }

  number(): bigint | number {
    const match = NUMBER;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found) this.fail("malformed number");
    this.pos += found[0].length;
    if (found[1] === undefined && found[2] === undefined) {
      const integer = BigInt(found[0]);
      // serde_json's as_i64 fails outside the Int64 range, and Convex then reads a Float64.
      if (integer >= INT64_MIN && integer <= INT64_MAX) return integer;
    }
    return Number(found[0]);
  }

  string(): string {
    const text = this.text;
    const start = ++this.pos;
    let simple = true;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 34) break;
      if (c < 32) this.fail("control character in a string");
      if (c === 92) {
        simple = false;
        this.pos += text[this.pos + 1] === "u" ? 6 : 2;
      } else this.pos++;
    }
    if (this.pos >= text.length) this.fail("unterminated string");
    const raw = text.slice(start, this.pos);
    this.pos++;
    if (simple) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return this.fail("invalid escape in a string");
    }
  }

  array(): ExportValue[] {
    this.pos++;
    const items: ExportValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === "]") return (this.pos++, items);
    for (;;) {
      this.skipWhitespace();
      items.push(this.value());
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "]") return items;
      if (c !== ",") this.fail("expected , or ] in an array");
    }
  }

  object(): ExportValue {
    this.pos++;
    /** Only an object whose first key starts with `$` keeps its entries (see `special`). */
    let entries: [string, ExportValue][] | null = null;
    const object: ExportObject = {};
    this.skipWhitespace();
    if (this.text[this.pos] === "}") return (this.pos++, object);
    for (let first = true; ; first = false) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail("expected a field name");
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos++] !== ":") this.fail("expected : after a field name");
      this.skipWhitespace();
      const value = this.value();
      if (first && key.startsWith("$")) entries = [];
      if (entries !== null) entries.push([key, value]);
      else if (key === "__proto__")
        Object.defineProperty(object, key, { value, enumerable: true, writable: true });
      else object[key] = value;
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "}") break;
      if (c !== ",") this.fail("expected , or } in an object");
    }
    return entries === null ? object : this.special(entries);
  }

  /** Convex reads an object whose first key starts with `$` as one of its encoded scalars. */
  private special(entries: [string, ExportValue][]): ExportValue {
    const [key, value] = entries[0]!;
    if (entries.length !== 1 || typeof value !== "string") {
      this.fail(`${JSON.stringify(key)} must be the only field and hold a base64 string`);
    }
    const bytes = decodeBase64(value);
    if (bytes === null) this.fail(`${key} holds invalid base64`);
    if (key === "$bytes") return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    if (bytes.length !== 8) this.fail(`${key} must hold 8 bytes`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    if (key === "$float") return view.getFloat64(0, true);
    if (key === "$integer") return view.getBigInt64(0, true);
    return this.fail(`${JSON.stringify(key)} is not a Convex value encoding`);
  }
}
