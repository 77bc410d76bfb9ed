/**
 * The one CSV reader, for the preview and for the local backend's importer alike: records as
 * Convex's importer reads them, with csv_async's defaults (`AsyncReader::from_reader`,
 * `crates/application/src/snapshot_import/parse.rs`; csv-core underneath): comma-separated, `"`
 * quotes with `""` for a quote, and a record ends at `\n`, at `\r\n` or at a bare `\r`. Empty lines
 * are skipped; a quote inside an unquoted field, or after a closing quote, is kept as a character.
 * A UTF-8 byte-order mark at the start is dropped. It works on bytes in one pass (linear in the
 * input) and holds one record, which may not exceed MAX_LINE_BYTES (a record is one document).
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

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

export async function* readCsvRecords(
  chunks: AsyncIterable<Uint8Array>,
  onBom: () => void = () => {},
): AsyncGenerator<CsvRecord> {
  let buffer = new Uint8Array(4096);
  let length = 0;
  /** Where each finished field of the current record ends in `buffer`. */
  let ends: number[] = [];
  let state: State = "fieldStart";
  let line = 1;
  let startLine = 1;
  /** The record has content (an empty line has none and is skipped). */
  let started = false;
  let afterCr = false;
  /** The previous byte, inside a quoted field, was a CR (so an LF after it ends no further line). */
  let quotedCr = false;
  let first = true;

  /** Appends `bytes[from..to)` to the record, which may not outgrow MAX_LINE_BYTES. */
  const append = (bytes: Uint8Array, from: number, to: number) => {
    const needed = length + (to - from);
    if (needed > buffer.length) {
      if (needed > MAX_LINE_BYTES) throw new LineTooLongError(startLine);
      const grown = new Uint8Array(Math.min(Math.max(needed, buffer.length * 2), MAX_LINE_BYTES));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(bytes.subarray(from, to), length);
    length = needed;
  };
  const QUOTE_BYTE = Uint8Array.of(QUOTE);
  const finish = (unclosedQuote: boolean): CsvRecord => {
    ends.push(length);
    let invalidUtf8: number | null = null;
    const fields = ends.map((end, index) => {
      const bytes = buffer.subarray(index === 0 ? 0 : ends[index - 1]!, end);
      try {
        return strict.decode(bytes);
      } catch {
        invalidUtf8 ??= startLine;
        return lenient.decode(bytes);
      }
    });
    const record = { line: startLine, fields, invalidUtf8, unclosedQuote };
    length = 0;
    ends = [];
    state = "fieldStart";
    started = false;
    return record;
  };

  for await (const raw of chunks) {
    let chunk = raw;
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        onBom();
      }
    }
    let i = 0;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      if (afterCr) {
        afterCr = false;
        // The LF of a CRLF: the record already ended at the CR.
        if (byte === LF) {
          i++;
          continue;
        }
      }
      if (state === "quoted") {
        // Everything up to the next quote is the field's, newlines included (lines still counted).
        let end = chunk.indexOf(QUOTE, i);
        if (end === -1) end = chunk.length;
        for (let j = i; j < end; j++) {
          const b = chunk[j]!;
          if (b === CR || (b === LF && !quotedCr)) line++;
          quotedCr = b === CR;
        }
        append(chunk, i, end);
        i = end;
        if (end < chunk.length) {
          state = "quoteInQuoted";
          quotedCr = false;
          i++;
        }
        continue;
      }
      if (state === "quoteInQuoted" && byte === QUOTE) {
        append(QUOTE_BYTE, 0, 1);
        state = "quoted";
        i++;
      } else if (byte === COMMA) {
        ends.push(length);
        state = "fieldStart";
        started = true;
        i++;
      } else if (byte === LF || byte === CR) {
        const record = started ? finish(false) : null;
        line++;
        startLine = line;
        afterCr = byte === CR;
        i++;
        if (record) yield record;
      } else if (byte === QUOTE && state === "fieldStart") {
        state = "quoted";
        started = true;
        i++;
      } else {
        // A run of plain bytes (a quote here is a character) up to the next comma or line end.
        let end = i + 1;
        while (end < chunk.length) {
          const b = chunk[end]!;
          if (b === COMMA || b === LF || b === CR) break;
          end++;
        }
        append(chunk, i, end);
        state = "unquoted";
        started = true;
        i = end;
      }
    }
  }
  if (started) yield finish(state === "quoted");
}
