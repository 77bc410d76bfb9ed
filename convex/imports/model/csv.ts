/**
 * The one CSV reader, for the preview and for the local backend's importer alike: records as
 * Convex's importer reads them, with csv_async's defaults (`AsyncReader::from_reader`,
 * `crates/application/src/snapshot_import/parse.rs`; csv-core underneath): comma-separated, `"`
 * quotes with `""` for a quote, and a record ends at `\n`, at `\r\n` or at a bare `\r`. Empty lines
 * are skipped; a quote inside an unquoted field, or after a closing quote, is kept as a character.
 * A UTF-8 byte-order mark at the start is dropped. It works on bytes in one pass (linear in the
 * input) and holds the record being read, which may not exceed MAX_LINE_BYTES (a record is one
 * document), and the finished records of at most 64 KiB of input.
 */
import { LineTooLongError, MAX_LINE_BYTES } from "../../lib/snapshot/lines";

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

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

const BATCH_BYTES = 64 * 1024;

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

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

class CsvParser {
  private buffer = new Uint8Array(4096);
  private length = 0;
  /** Where each finished field of the current record ends in `buffer`. */
  private ends: number[] = [];
  private state: State = "fieldStart";
  private line = 1;
  private startLine = 1;
  /** The record has content (an empty line has none and is skipped). */
  private started = false;
  private afterCr = false;
  /** The previous byte, inside a quoted field, was a CR (so an LF after it ends no further line). */
  private quotedCr = false;
  private first = true;

  constructor(private readonly onBom: () => void) {}

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
    this.state = "fieldStart";
    this.started = false;
    return record as CsvRecord;
  }

  end(): CsvRecord | null {
    return this.started ? this.finish(this.state === "quoted") : null;
  }

  /** Parses `raw`, adding the records it completes to `records`. */
  push(raw: Uint8Array, records: CsvRecord[]) {
    let chunk = raw;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        this.onBom();
      }
    }
    let i = 0;
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
      if (this.state === "quoted") {
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
          this.state = "quoteInQuoted";
          this.quotedCr = false;
          i++;
        }
        continue;
      }
      if (this.state === "quoteInQuoted" && byte === QUOTE) {
        this.append(QUOTE_BYTE, 0, 1);
        this.state = "quoted";
        i++;
      } else if (byte === COMMA) {
        this.ends.push(this.length);
        this.state = "fieldStart";
        this.started = true;
        i++;
      } else if (byte === LF || byte === CR) {
        if (this.started) records.push(this.finish(false));
        this.line++;
        this.startLine = this.line;
        this.afterCr = byte === CR;
        i++;
      } else if (byte === QUOTE && this.state === "fieldStart") {
        this.state = "quoted";
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
        this.state = "unquoted";
        this.started = true;
        i = end;
      }
    }
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
