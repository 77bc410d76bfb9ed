/**
 * Sends a file to the console's storage in chunks, in order, each recorded on the import before the
 * next starts; the import's document keeps the bytes stored, which drives the progress bar.
 */
import type { Id } from "@convex/_generated/dataModel";
import { UPLOAD_CHUNK_BYTES } from "@convex/imports/shared";

export type UploadCalls = {
  uploadUrl: (args: { importId: Id<"imports"> }) => Promise<string>;
  addPart: (args: { importId: Id<"imports">; index: number; storageId: Id<"_storage"> }) => Promise<unknown>;
  finishUpload: (args: { importId: Id<"imports"> }) => Promise<unknown>;
  /** Posts one chunk to a storage upload URL and returns its storage id. */
  post: (url: string, chunk: Blob) => Promise<Id<"_storage">>;
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
  for (const [index, [start, end]] of ranges.entries()) {
    if (signal?.aborted) throw new UploadStoppedError();
    const url = await calls.uploadUrl({ importId });
    const storageId = await calls.post(url, file.slice(start, end));
    if (signal?.aborted) throw new UploadStoppedError();
    await calls.addPart({ importId, index, storageId });
  }
  await calls.finishUpload({ importId });
}

export async function postToStorage(url: string, chunk: Blob): Promise<Id<"_storage">> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: chunk,
  });
  if (!response.ok)
    throw new Error(`The console's storage refused a chunk (HTTP ${response.status}); upload again.`);
  const { storageId } = (await response.json()) as { storageId: Id<"_storage"> };
  return storageId;
}

/** Fetches the stored parts in order and joins them into the file as it was uploaded. */
export async function joinParts(urls: readonly string[]): Promise<Blob> {
  const parts: Blob[] = [];
  for (const url of urls) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Part of the stored file could not be read (HTTP ${response.status}).`);
    parts.push(await response.blob());
  }
  return new Blob(parts);
}
