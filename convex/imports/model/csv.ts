/**
 * The one CSV reader, for the preview and for the local backend's importer alike: records as
 * Convex's importer reads them, with csv_async's defaults (`AsyncReader::from_reader`,
 * `crates/application/src/snapshot_import/parse.rs`; csv-core underneath): comma-separated, `"`
 * quotes with `""` for a quote, and a record ends at `\n`, at `\r\n` or at a bare `\r`. Empty lines
 * are skipped; a quote inside an unquoted field, or after a closing quote, is kept as a character.
 * A UTF-8 byte-order mark at the start is dropped. It reads in one pass (linear in the input) and
 * holds the record being read, which may not exceed MAX_LINE_BYTES (a record is one document), and
 * the finished records of at most 64 KiB of input.
 *
 * Each piece of input is decoded once as a whole and parsed as text, its fields sliced out of it;
 * a piece that is not valid UTF-8 is parsed byte by byte instead, so each of its records is judged
 * on its own fields' bytes, as csv_async's StringRecord does. (The profile of a 200 MB preview had
 * the byte-by-byte path, a copy of every field and a decode per record, at a third of its time.)
 */
import { LeadingBom, LineTooLongError, MAX_LINE_BYTES } from "../../lib/snapshot/lines";

export type CsvRecord = {
  /** The line the record starts on (1-based; `\r\n`, `\n` and a bare `\r` each end a line). */
  line: number;
  fields: string[];
  /** The line of the record's first invalid UTF-8, or null. */
  invalidUtf8: number | null;
  /** The file ended inside a quoted field. */
  unclosedQuote: boolean;
};

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

// ignoreBOM: a decoder otherwise drops a U+FEFF at the start of every piece it decodes, not only
// at the start of the file (Convex keeps it in the cell).
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

const BATCH_BYTES = 64 * 1024;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
type State = typeof FIELD_START | typeof UNQUOTED | typeof QUOTED | typeof QUOTE_IN_QUOTED;

/**
 * The records of each chunk as one array, so the per-record cost is a loop turn rather than a
 * turn of an async generator (which dominated the preview's profile).
 */
export async function* readCsvRecordBatches(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(onBom);
  for await (const chunk of chunks) {
    // At most BATCH_BYTES of input per batch, so a huge chunk does not become a huge batch.
    for (let at = 0; at < chunk.length; at += BATCH_BYTES) {
      const records: CsvRecord[] = [];
      try {
        parser.push(chunk.subarray(at, at + BATCH_BYTES), records);
      } catch (error) {
        // The records before a refused one are still the file's, as a record-by-record reader gives them.
        if (records.length > 0) yield records;
        throw error;
      }
      if (records.length > 0) yield records;
    }
  }
  const last = parser.end();
  if (last !== null) yield [last];
}

export async function* readCsvRecords(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRecordBatches(chunks, onBom)) yield* records;
}

const QUOTE_BYTE = Uint8Array.of(QUOTE);
const encoder = new TextEncoder();

/** Where the last whole character of `bytes[from..)` ends: before a character the piece splits. */
function wholeCharactersEnd(bytes: Uint8Array, from: number): number {
  let lead = bytes.length - 1;
  while (lead > from && lead > bytes.length - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  const first = bytes[lead]!;
  const length = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return length > bytes.length - lead ? lead : bytes.length;
}

/** Where `char` next occurs in `text` from `from`, or the text's length. */
function next(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

/** The UTF-8 length of `text[from..to)` (text from a strict decode: no lone surrogates). */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = to - from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // A surrogate is half of a 4-byte character.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 1 : 2;
  }
  return bytes;
}

function textRecord(line: number, fields: string[], unclosedQuote: boolean): CsvRecord {
  return { line, fields, invalidUtf8: null, unclosedQuote };
}

class CsvParser {
  private state: State = FIELD_START;
  private line = 1;
  private startLine = 1;
  /** The record has content (an empty line has none and is skipped). */
  private started = false;
  private afterCr = false;
  /** The previous byte, inside a quoted field, was a CR (so an LF after it ends no further line). */
  private quotedCr = false;
  /** The record being read is held as bytes (it met a piece that is not valid UTF-8), not as text. */
  private inBytes = false;
  /** The record as bytes: its fields' bytes, and where each finished field ends. */
  private buffer = new Uint8Array(4096);
  private length = 0;
  private ends: number[] = [];
  /** The record as text: its finished fields and the one being read. */
  private fields: string[] = [];
  private field = "";
  /** The UTF-8 bytes of the record's fields from earlier pieces (its limit is in bytes). */
  private heldBytes = 0;
  /** The first bytes of a character the last piece split, read with the next piece. */
  private carry: Uint8Array | null = null;

  private readonly bom: LeadingBom;

  constructor(onBom: () => void) {
    this.bom = new LeadingBom(onBom);
  }

  /** Appends `bytes[from..to)` to the record, which may not outgrow MAX_LINE_BYTES. */
  private append(bytes: Uint8Array, from: number, to: number) {
    const needed = this.length + (to - from);
    if (needed > this.buffer.length) {
      if (needed > MAX_LINE_BYTES) throw new LineTooLongError(this.startLine);
      const grown = new Uint8Array(Math.min(Math.max(needed, this.buffer.length * 2), MAX_LINE_BYTES));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(bytes.subarray(from, to), this.length);
    this.length = needed;
  }

  private finish(unclosedQuote: boolean): CsvRecord {
    if (!this.inBytes) {
      this.fields.push(this.field);
      const record = textRecord(this.startLine, this.fields, unclosedQuote);
      this.fields = [];
      this.field = "";
      this.heldBytes = 0;
      this.state = FIELD_START;
      this.started = false;
      return record;
    }
    const ends = this.ends;
    ends.push(this.length);
    const record = {
      line: this.startLine,
      fields: decodeFields(this.buffer, ends, this.length),
      invalidUtf8: null as number | null,
      unclosedQuote,
    };
    if (record.fields === null) {
      // Invalid UTF-8 somewhere: each field on its own, the broken ones decoded leniently.
      record.fields = ends.map((end, index) => {
        const bytes = this.buffer.subarray(index === 0 ? 0 : ends[index - 1]!, end);
        try {
          return strict.decode(bytes);
        } catch {
          record.invalidUtf8 ??= this.startLine;
          return lenient.decode(bytes);
        }
      });
    }
    this.length = 0;
    this.ends = [];
    this.state = FIELD_START;
    this.started = false;
    return record as CsvRecord;
  }

  end(): CsvRecord | null {
    const held = this.bom.rest();
    if (held.length > 0) this.carry = held;
    if (this.carry !== null) {
      // The file ends inside a character: those bytes are the record's, as invalid UTF-8.
      this.toBytes();
      this.pushBytes(this.carry, 0, [], false);
      this.carry = null;
    }
    return this.started ? this.finish(this.state === QUOTED) : null;
  }

  /** Parses `raw`, adding the records it completes to `records`. */
  push(raw: Uint8Array, records: CsvRecord[]) {
    let chunk = this.bom.strip(raw);
    if (chunk.length === 0) return;
    if (this.carry !== null) {
      const joined = new Uint8Array(this.carry.length + chunk.length);
      joined.set(this.carry);
      joined.set(chunk, this.carry.length);
      chunk = joined;
      this.carry = null;
    }
    // A record begun as bytes is read to its end as bytes; text starts after it.
    const from = this.started && this.inBytes ? this.pushBytes(chunk, 0, records, true) : 0;
    if (from >= chunk.length) return;
    const end = wholeCharactersEnd(chunk, from);
    let text: string;
    try {
      text = strict.decode(chunk.subarray(from, end));
    } catch {
      this.toBytes();
      this.pushBytes(chunk, from, records, false);
      return;
    }
    this.pushText(text, records);
    if (end < chunk.length) this.carry = chunk.slice(end);
  }

  /** Moves a record begun as text into the byte buffer, where the rest of it will be read. */
  private toBytes() {
    if (this.started && !this.inBytes) {
      for (const field of this.fields) {
        const bytes = encoder.encode(field);
        this.append(bytes, 0, bytes.length);
        this.ends.push(this.length);
      }
      const bytes = encoder.encode(this.field);
      this.append(bytes, 0, bytes.length);
      this.fields = [];
      this.field = "";
      this.heldBytes = 0;
    }
    this.inBytes = true;
  }

  /**
   * Parses decoded text; a field is a slice of it. The same states and line counting as
   * `pushBytes`, a run of characters at a time.
   */
  private pushText(text: string, records: CsvRecord[]) {
    this.inBytes = false;
    const length = text.length;
    let { state, line, startLine, started, afterCr, quotedCr, field } = this;
    // Where the record began in this text, and the separators and quotes of it read so far: what a
    // record held over from earlier pieces adds to its size.
    let recordFrom = 0;
    let removed = 0;
    // The next comma, CR and LF at or after where they were last looked for (searches move forward
    // only, so the text is scanned for each once, natively rather than a character at a time).
    let nextComma = -1;
    let nextCr = -1;
    let nextLf = -1;
    let i = 0;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        // The LF of a CRLF: the record already ended at the CR.
        if (c === LF) {
          recordFrom = ++i;
          continue;
        }
      }
      if (state === QUOTED) {
        // Everything up to the next quote is the field's, newlines included (lines still counted).
        let end = text.indexOf('"', i);
        if (end === -1) end = length;
        if (nextCr < i) nextCr = next(text, "\r", i);
        for (; nextCr < end; nextCr = next(text, "\r", nextCr + 1)) line++;
        if (nextLf < i) nextLf = next(text, "\n", i);
        for (; nextLf < end; nextLf = next(text, "\n", nextLf + 1))
          if (!(nextLf === i ? quotedCr : text.charCodeAt(nextLf - 1) === CR)) line++;
        if (end > i) quotedCr = text.charCodeAt(end - 1) === CR;
        field += text.slice(i, end);
        i = end;
        if (end < length) {
          state = QUOTE_IN_QUOTED;
          quotedCr = false;
          removed++;
          i++;
        }
        continue;
      }
      if (state === QUOTE_IN_QUOTED && c === QUOTE) {
        field += '"';
        state = QUOTED;
        i++;
      } else if (c === COMMA) {
        this.fields.push(field);
        field = "";
        state = FIELD_START;
        started = true;
        removed++;
        i++;
      } else if (c === LF || c === CR) {
        if (started) {
          if (this.heldBytes > 0) {
            if (this.heldBytes + utf8Length(text, recordFrom, i) - removed > MAX_LINE_BYTES)
              throw new LineTooLongError(startLine);
            this.heldBytes = 0;
          }
          const fields = this.fields;
          fields.push(field);
          records.push(textRecord(startLine, fields, false));
          this.fields = [];
          field = "";
          state = FIELD_START;
          started = false;
        }
        line++;
        startLine = line;
        afterCr = c === CR;
        recordFrom = ++i;
        removed = 0;
      } else if (c === QUOTE && state === FIELD_START) {
        state = QUOTED;
        started = true;
        removed++;
        i++;
      } else {
        // A run of plain characters (a quote here is a character) up to the next comma or line end.
        if (nextComma <= i) nextComma = next(text, ",", i + 1);
        if (nextLf <= i) nextLf = next(text, "\n", i + 1);
        if (nextCr <= i) nextCr = next(text, "\r", i + 1);
        const end = Math.min(nextComma, nextLf, nextCr);
        field += text.slice(i, end);
        state = UNQUOTED;
        started = true;
        i = end;
      }
    }
    this.state = state;
    this.line = line;
    this.startLine = startLine;
    this.started = started;
    this.afterCr = afterCr;
    this.quotedCr = quotedCr;
    this.field = field;
    if (started) {
      this.heldBytes += utf8Length(text, recordFrom, length) - removed;
      if (this.heldBytes > MAX_LINE_BYTES) throw new LineTooLongError(startLine);
    }
  }

  /**
   * Parses `chunk[from..)` byte by byte, the record's fields copied into the byte buffer. With
   * `untilRecordEnd`, stops after the first record it finishes and returns where it stopped.
   */
  private pushBytes(chunk: Uint8Array, from: number, records: CsvRecord[], untilRecordEnd: boolean): number {
    this.inBytes = true;
    let i = from;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      if (this.afterCr) {
        this.afterCr = false;
        // The LF of a CRLF: the record already ended at the CR.
        if (byte === LF) {
          i++;
          continue;
        }
      }
      if (this.state === QUOTED) {
        // Everything up to the next quote is the field's, newlines included (lines still counted).
        let end = chunk.indexOf(QUOTE, i);
        if (end === -1) end = chunk.length;
        let line = this.line;
        let quotedCr = this.quotedCr;
        for (let j = i; j < end; j++) {
          const b = chunk[j]!;
          if (b <= CR) {
            if (b === CR || (b === LF && !quotedCr)) line++;
            quotedCr = b === CR;
          } else quotedCr = false;
        }
        this.line = line;
        this.quotedCr = quotedCr;
        this.append(chunk, i, end);
        i = end;
        if (end < chunk.length) {
          this.state = QUOTE_IN_QUOTED;
          this.quotedCr = false;
          i++;
        }
        continue;
      }
      if (this.state === QUOTE_IN_QUOTED && byte === QUOTE) {
        this.append(QUOTE_BYTE, 0, 1);
        this.state = QUOTED;
        i++;
      } else if (byte === COMMA) {
        this.ends.push(this.length);
        this.state = FIELD_START;
        this.started = true;
        i++;
      } else if (byte === LF || byte === CR) {
        const ended = this.started;
        if (ended) records.push(this.finish(false));
        this.line++;
        this.startLine = this.line;
        this.afterCr = byte === CR;
        i++;
        if (ended && untilRecordEnd) return i;
      } else if (byte === QUOTE && this.state === FIELD_START) {
        this.state = QUOTED;
        this.started = true;
        i++;
      } else {
        // A run of plain bytes (a quote here is a character) up to the next comma or line end.
        let end = i + 1;
        while (end < chunk.length) {
          const b = chunk[end]!;
          if (b === COMMA || b === LF || b === CR) break;
          end++;
        }
        this.append(chunk, i, end);
        this.state = UNQUOTED;
        this.started = true;
        i = end;
      }
    }
    return i;
  }
}

/**
 * The fields of a record from one strict decode of its bytes: when the text is as long as the bytes
 * every byte was ASCII, so byte offsets are character offsets and the fields are slices. Null when
 * the record holds invalid UTF-8 (then each field is decoded on its own).
 */
function decodeFields(buffer: Uint8Array, ends: number[], length: number): string[] | null {
  let text: string;
  try {
    text = strict.decode(buffer.subarray(0, length));
  } catch {
    return null;
  }
  const fields = new Array<string>(ends.length);
  if (text.length === length) {
    let start = 0;
    for (let index = 0; index < ends.length; index++) {
      fields[index] = text.slice(start, ends[index]);
      start = ends[index]!;
    }
    return fields;
  }
  // Fields are stored without their separators, so a whole that decodes may still split a
  // character between two fields: each is decoded on its own.
  let start = 0;
  try {
    for (let index = 0; index < ends.length; index++) {
      fields[index] = strict.decode(buffer.subarray(start, ends[index]));
      start = ends[index]!;
    }
  } catch {
    return null;
  }
  return fields;
}
