/**
 * The generated import files of the benches: rows with the CSV parser's hard cases (a quoted comma
 * and a quoted newline in every row, a zip code with a leading zero), as CSV or as JSON Lines,
 * made chunk by chunk so the generator holds no more than one chunk.
 */
const CHUNK_ROWS = 1000;

export type GeneratedFormat = "csv" | "jsonLines";

export async function* generatedRows(
  format: GeneratedFormat,
  targetBytes: number,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = 0;
  let row = 0;
  if (format === "csv") {
    const header = encoder.encode("\uFEFFauthor,body,rank,zip\r\n");
    sent += header.length;
    yield header;
  }
  while (sent < targetBytes) {
    let text = "";
    for (let index = 0; index < CHUNK_ROWS; index++, row++) {
      const body = `Message ${row}, with a comma\nand a second line`;
      const zip = `0${row % 9000}`;
      text +=
        format === "csv"
          ? `user${row % 997},"${body}",${row},${zip}\r\n`
          : `${JSON.stringify({ author: `user${row % 997}`, body, rank: row, zip })}\n`;
    }
    const bytes = encoder.encode(text);
    sent += bytes.length;
    yield bytes;
  }
}
