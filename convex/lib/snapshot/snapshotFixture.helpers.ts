import { encodeBase64 } from "./base64";
import { encodeConvexId } from "./convexId";
import type { ExportObject } from "./exportJson";
import { sha256 } from "./sha256";
import type { Snapshot, StorageFileMetadata } from "./snapshotZip";

/** A deterministic id of `table` for tests: the row number in the internal id's last bytes. */
export function testId(tableNumber: number, row: number): string {
  const internalId = new Uint8Array(16);
  new DataView(internalId.buffer).setUint32(12, row + 1);
  internalId[0] = tableNumber & 255;
  return encodeConvexId(tableNumber, internalId);
}

export function tasks(count: number, tableNumber = 10001): ExportObject[] {
  return Array.from({ length: count }, (_, i) => ({
    _id: testId(tableNumber, i),
    _creationTime: 1715973841548 + i,
    text: `task ${i}`,
    done: i % 2 === 0,
    priority: BigInt(i % 5),
  }));
}

export type TestFile = StorageFileMetadata & { bytes: Uint8Array };

export function storageFile(
  index: number,
  text: string,
  contentType: string | null = "text/plain",
): TestFile {
  const bytes = new TextEncoder().encode(text);
  return {
    id: testId(7, index),
    creationTime: 1715973841000 + index,
    sha256: encodeBase64(sha256(bytes)),
    size: bytes.length,
    contentType,
    internalId: `00000000-0000-4000-8000-00000000000${index}`,
    bytes,
  };
}

export function snapshotOf(tables: Record<string, ExportObject[]>, files?: TestFile[]): Snapshot {
  return {
    tables: Object.entries(tables).map(([name, documents], i) => ({
      name,
      tableNumber: 10001 + i,
      documents,
      totalSize: documents.length,
    })),
    storage: files && { files: () => files, open: (file) => [(file as TestFile).bytes] },
  };
}
