/**
 * Sends a file to the console's storage in chunks, in order: each chunk goes to a one-time URL the
 * console made for that import and place, which stores it and records it on the import before the
 * next starts; the import's document keeps the bytes stored, which drives the progress bar.
 */
import type { Id } from "@convex/_generated/dataModel";
import { UPLOAD_CHUNK_BYTES } from "@convex/imports/shared";

export type UploadCalls = {
  uploadUrl: (args: { importId: Id<"imports"> }) => Promise<string>;
  finishUpload: (args: { importId: Id<"imports"> }) => Promise<unknown>;
  /** Posts one chunk to its upload URL. */
  post: (url: string, chunk: Blob) => Promise<void>;
};

export class UploadStoppedError extends Error {
  constructor() {
    super("The upload was stopped.");
  }
}

/** The byte ranges of the chunks, in order. */
export function chunkRanges(size: number, chunkBytes = UPLOAD_CHUNK_BYTES): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < size; start += chunkBytes)
    ranges.push([start, Math.min(size, start + chunkBytes)]);
  return ranges;
}

export async function uploadChunks(
  importId: Id<"imports">,
  file: Blob,
  calls: UploadCalls,
  signal?: AbortSignal,
  chunkBytes = UPLOAD_CHUNK_BYTES,
): Promise<void> {
  const ranges = chunkRanges(file.size, chunkBytes);
  for (const [start, end] of ranges) {
    if (signal?.aborted) throw new UploadStoppedError();
    const url = await calls.uploadUrl({ importId });
    await calls.post(url, file.slice(start, end));
  }
  if (signal?.aborted) throw new UploadStoppedError();
  await calls.finishUpload({ importId });
}

export async function postToImport(url: string, chunk: Blob): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: chunk,
  });
  if (response.ok) return;
  const answer = (await response.json().catch(() => null)) as { message?: unknown } | null;
  throw new Error(
    typeof answer?.message === "string"
      ? answer.message
      : `The console's storage refused a chunk (HTTP ${response.status}); upload again.`,
  );
}
