/** The generated documents of the backup benches: a snapshot of two tables, 90% and 10% of `rows`. */
import { encodeConvexId } from "../convex/lib/snapshot/convexId";
import type { ExportObject } from "../convex/lib/snapshot/exportJson";
import type { Snapshot } from "../convex/lib/snapshot/snapshotZip";

function* documents(count: number, tableNumber: number): Generator<ExportObject> {
  const internalId = new Uint8Array(16);
  const view = new DataView(internalId.buffer);
  for (let i = 0; i < count; i++) {
    view.setUint32(0, i);
    view.setUint32(12, (i * 2654435761) >>> 0);
    yield {
      _id: encodeConvexId(tableNumber, internalId),
      _creationTime: 1715973841548 + i * 37.5,
      text: `Follow up on ticket ${i} with the customer about their invoice`,
      isCompleted: i % 3 === 0,
      priority: BigInt(i % 5),
      assignee: `user${i % 97}@example.com`,
      tags: ["ops", i % 2 === 0 ? "billing" : "support"],
    };
  }
}

export function generatedSnapshot(rows: number): Snapshot {
  return {
    tables: [
      { name: "tasks", tableNumber: 10001, documents: documents(Math.floor(rows * 0.9), 10001) },
      { name: "comments", tableNumber: 10002, documents: documents(rows - Math.floor(rows * 0.9), 10002) },
    ],
  };
}
