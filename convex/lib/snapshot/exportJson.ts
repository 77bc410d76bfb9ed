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

/** Containers a line may nest for `plainDocumentId`; deeper lines are decoded in full. */
const PLAIN_DEPTH = 64;
/** For each open container of the line being scanned, 1 for an object and 0 for an array. */
const OPEN = new Uint8Array(PLAIN_DEPTH);
/** A control character but a newline (searched for on its own: it ends every line of a batch). */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/g;

// Declarations rather than arrow constants: a module's constant is checked for initialisation at
// each use, and these are called for most characters of a line.
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/**
 * Where the next character that `find` looks for is in `text`, at or after `from` (the text's
 * length if none). The lines of a batch are scanned in order, so each text is searched once,
 * natively, rather than per line or per string.
 */
class Next {
  private text = "";
  private from = 0;
  private at = 0;
  constructor(private readonly find: (text: string, from: number) => number) {}

  in(text: string, from: number): number {
    if (this.text !== text || from < this.from) {
      this.text = text;
      this.at = -1;
    }
    if (this.at < from) {
      const at = this.find(text, from);
      this.at = at === -1 ? text.length : at;
    }
    this.from = from;
    return this.at;
  }
}
const nextBackslash = new Next((text, from) => text.indexOf("\\", from));
const nextNewline = new Next((text, from) => text.indexOf("\n", from));
const nextControl = new Next((text, from) => {
  CONTROL.lastIndex = from;
  return CONTROL.test(text) ? CONTROL.lastIndex - 1 : -1;
});

/** The character code at `i` of a line that ends at `to`, or -1 past its end. */
function codeAt(text: string, to: number, i: number): number {
  return i < to ? text.charCodeAt(i) : -1;
}

function afterSpace(text: string, i: number): number {
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** Characters of a string read one by one before a native search takes over (see `stringEnd`). */
const SHORT_STRING = 24;

/**
 * The end of the string whose opening quote is at `i`, before `to`, or -1 if it is not plain JSON.
 * A line has no control character (see `plainDocumentId`), so only quotes and backslashes matter:
 * a short string (a key, most values) is read a character at a time, which costs less than a
 * call; a longer one is skipped with native searches.
 */
function stringEnd(text: string, to: number, i: number, allowEscapes: boolean): number {
  let from = i + 1;
  for (;;) {
    const stop = Math.min(to, from + SHORT_STRING);
    let escape = from;
    let c = -1;
    for (; escape < stop; escape++) {
      c = text.charCodeAt(escape);
      if (c === 34 || c === 92) break;
    }
    if (escape < stop) {
      if (c === 34) return escape + 1;
    } else {
      const close = text.indexOf('"', from);
      if (close === -1 || close >= to) return -1;
      escape = nextBackslash.in(text, from);
      if (escape > close) return close + 1;
    }
    if (!allowEscapes) return -1;
    const next = text.charCodeAt(escape + 1);
    if (next === 117) {
      for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(escape + k))) return -1;
      from = escape + 6;
    } else if (
      next === 34 ||
      next === 92 ||
      next === 47 ||
      next === 98 ||
      next === 102 ||
      next === 110 ||
      next === 114 ||
      next === 116
    )
      from = escape + 2;
    else return -1;
    if (from > to) return -1;
  }
}

/** The end of the JSON number at `i`, or -1; `float` says whether it has a fraction or exponent. */
function numberEnd(text: string, i: number, float: { is: boolean }): number {
  if (text.charCodeAt(i) === 45) i++;
  if (text.charCodeAt(i) === 48) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return -1;
  float.is = false;
  if (text.charCodeAt(i) === 46) {
    if (!isDigit(text.charCodeAt(++i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
    float.is = true;
  }
  if ((text.charCodeAt(i) | 0x20) === 101) {
    i++;
    if (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
    float.is = true;
  }
  return i;
}

const float = { is: false };
/** Where `plainDocumentId` found the id: reused, as it is asked of every line of a backup. */
const ID = { from: 0, to: 0 };

/**
 * A line of `documents.jsonl`, `text[from..to)`, checked without building its values: where its
 * `_id` string is (without the quotes) when the line is certainly export JSON that
 * `decodeExportJson` reads as an object with a string `_id` and a Float64 `_creationTime`; else
 * null — and then it may still be, so decode it to know and to say why not. Certain means plain:
 * no control character (a tab between tokens included), each of those two keys once, no key
 * starting with `$` (an encoded value) or holding an escape, at most PLAIN_DEPTH containers deep;
 * the grammar is JSON's, which is the decoder's. The returned object is reused by the next call.
 * Verifying a backup decoded every value of every document, a third of its time; then the scan,
 * a character at a time, was a third: strings are now skipped with native searches.
 */
export function plainDocumentId(
  text: string,
  from = 0,
  to = text.length,
): { from: number; to: number } | null {
  // A control character, a tab between tokens included, is left to the full decode.
  if (nextControl.in(text, from) < to || nextNewline.in(text, from) < to) return null;
  let i = afterSpace(text, from);
  if (codeAt(text, to, i) !== 123) return null;
  let depth = 0;
  let idFrom = -1;
  let idTo = -1;
  let creationTime = false;
  // At `i` is a value; 123 `{` and 91 `[` open a container whose first key or item comes next.
  for (;;) {
    const c = codeAt(text, to, i);
    let firstKey = false;
    if (c === 123 || c === 91) {
      if (depth === PLAIN_DEPTH) return null;
      OPEN[depth++] = c === 123 ? 1 : 0;
      i = afterSpace(text, i + 1);
      if (codeAt(text, to, i) === (c === 123 ? 125 : 93)) {
        i++;
        depth--;
      } else if (c === 91) continue;
      else firstKey = true;
    } else if (c === 34) {
      i = stringEnd(text, to, i, true);
      if (i < 0) return null;
    } else if (c === 45 || isDigit(c)) {
      i = numberEnd(text, i, float);
      if (i < 0 || i > to) return null;
    } else if (text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else if (text.startsWith("null", i)) i += 4;
    else return null;
    if (i > to) return null;
    // After a value: the closing of containers, or a comma and the next item or key.
    for (;;) {
      if (!firstKey) {
        if (depth === 0) {
          if (afterSpace(text, i) !== to || !creationTime || idFrom < 0) return null;
          ID.from = idFrom;
          ID.to = idTo;
          return ID;
        }
        i = afterSpace(text, i);
        const after = codeAt(text, to, i);
        const inObject = OPEN[depth - 1] === 1;
        if (after === (inObject ? 125 : 93)) {
          i++;
          depth--;
          continue;
        }
        if (after !== 44) return null;
        i = afterSpace(text, i + 1);
        if (!inObject) break;
      }
      firstKey = false;
      // A key: plain, its value next.
      if (codeAt(text, to, i) !== 34 || codeAt(text, to, i + 1) === 36) return null;
      const keyEnd = stringEnd(text, to, i, false);
      if (keyEnd < 0) return null;
      const top = depth === 1;
      const isId = top && keyEnd - i === 5 && text.startsWith('"_id"', i);
      const isCreationTime = top && keyEnd - i === 15 && text.startsWith('"_creationTime"', i);
      i = afterSpace(text, keyEnd);
      if (codeAt(text, to, i) !== 58) return null;
      i = afterSpace(text, i + 1);
      if (isId) {
        if (idFrom >= 0 || codeAt(text, to, i) !== 34) return null;
        const end = stringEnd(text, to, i, false);
        if (end < 0) return null;
        idFrom = i + 1;
        idTo = end - 1;
        i = end;
        continue;
      }
      if (isCreationTime) {
        if (creationTime) return null;
        i = numberEnd(text, i, float);
        if (i < 0 || i > to || !float.is) return null;
        creationTime = true;
        continue;
      }
      break;
    }
  }
}
