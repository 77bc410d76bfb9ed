import { describe, expect, test } from "vitest";
import { filteredSnapshotEntries, planRestore, uploadParts } from "./restorePlan";
import { snapshotOf, storageFile, tasks } from "../../lib/snapshot/snapshotFixture.helpers";
import { snapshotZipChunks } from "../../lib/snapshot/snapshotZip";
import { collect, inChunks } from "../../lib/snapshot/testBytes.helpers";
import { verifySnapshotZip } from "../../lib/snapshot/verify";
import { zipChunks } from "../../lib/snapshot/zipWriter";

const modifiedAt = new Date("2026-11-24T09:00:00Z");

describe("restore plan", () => {
  test("into the console's own deployment, only app tables, with replace", () => {
    expect(
      planRestore({ backupTables: ["tasks", "users", "audit"], isConsoleItself: true, mode: "replaceAll" }),
    ).toEqual({
      ok: true,
      mode: "replace",
      tables: ["tasks"],
      leftOut: ["users", "audit"],
      filtered: true,
    });
    const refused = planRestore({
      backupTables: ["tasks", "users"],
      isConsoleItself: true,
      mode: "replace",
      chosenTables: ["tasks", "users"],
    });
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringMatching(/only its app tables \(tasks\).*users cannot/),
    });
  });

  test("into another deployment, replaceAll takes the whole snapshot and replace the chosen tables", () => {
    expect(
      planRestore({ backupTables: ["tasks", "notes"], isConsoleItself: false, mode: "replaceAll" }),
    ).toMatchObject({
      ok: true,
      mode: "replaceAll",
      filtered: false,
    });
    expect(
      planRestore({
        backupTables: ["tasks", "notes"],
        isConsoleItself: false,
        mode: "replace",
        chosenTables: ["notes"],
      }),
    ).toMatchObject({ ok: true, mode: "replace", tables: ["notes"], filtered: true });
    expect(
      planRestore({
        backupTables: ["tasks"],
        isConsoleItself: false,
        mode: "replace",
        chosenTables: ["nope"],
      }),
    ).toEqual({ ok: false, reason: "The backup holds no table nope." });
  });

  test("a filtered snapshot holds only the kept tables and still verifies", async () => {
    const zip = await collect(
      snapshotZipChunks(snapshotOf({ tasks: tasks(4), users: tasks(3, 10002), audit: tasks(2, 10003) }), {
        modifiedAt,
      }),
    );
    const filtered = await collect(
      zipChunks(filteredSnapshotEntries(inChunks(zip, 1000), ["tasks"]), { modifiedAt }),
    );
    const result = await verifySnapshotZip(inChunks(filtered, 777), { expectStorage: false });
    expect(result.ok).toBe(true);
    expect(result.tables).toEqual([{ component: "", table: "tasks", rows: 4 }]);
  });

  test("file storage is restored with replace only when chosen, never into the console's own deployment", () => {
    const withStorage = { backupTables: ["tasks", "notes"], backupHasStorage: true };
    expect(planRestore({ ...withStorage, isConsoleItself: false, mode: "replaceAll" })).toMatchObject({
      tables: ["tasks", "notes", "_storage"],
      filtered: false,
    });
    expect(
      planRestore({ ...withStorage, isConsoleItself: false, mode: "replace", chosenTables: ["tasks"] }),
    ).toMatchObject({ tables: ["tasks"], leftOut: ["notes", "_storage"], filtered: true });
    expect(
      planRestore({
        ...withStorage,
        isConsoleItself: false,
        mode: "replace",
        chosenTables: ["tasks", "_storage"],
      }),
    ).toMatchObject({ tables: ["tasks", "_storage"], leftOut: ["notes"], filtered: true });
    expect(planRestore({ ...withStorage, isConsoleItself: true, mode: "replaceAll" })).toMatchObject({
      tables: ["tasks"],
      leftOut: ["notes", "_storage"],
    });
    expect(
      planRestore({
        ...withStorage,
        isConsoleItself: true,
        mode: "replace",
        chosenTables: ["tasks", "_storage"],
      }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/_storage cannot/) });
    expect(
      planRestore({
        backupTables: ["tasks"],
        isConsoleItself: false,
        mode: "replace",
        chosenTables: ["_storage"],
      }),
    ).toEqual({ ok: false, reason: "The backup holds no file storage: it was taken without it." });
  });

  test("a filtered snapshot carries the file storage when _storage is kept, and verifies with it", async () => {
    const files = [storageFile(1, "hello"), storageFile(2, "{}", "application/json")];
    const zip = await collect(
      snapshotZipChunks(snapshotOf({ tasks: tasks(4), notes: tasks(2, 10002) }, files), { modifiedAt }),
    );
    const withFiles = await collect(
      zipChunks(filteredSnapshotEntries(inChunks(zip, 1000), ["tasks", "_storage"]), { modifiedAt }),
    );
    const kept = await verifySnapshotZip(inChunks(withFiles, 777), { expectStorage: true });
    expect(kept).toMatchObject({ ok: true, storageFiles: 2 });
    expect(kept.tables).toEqual([{ component: "", table: "tasks", rows: 4 }]);
    const withoutFiles = await collect(
      zipChunks(filteredSnapshotEntries(inChunks(zip, 1000), ["tasks"]), { modifiedAt }),
    );
    expect(await verifySnapshotZip(inChunks(withoutFiles, 777), { expectStorage: false })).toMatchObject({
      ok: true,
      storageFiles: 0,
    });
  });

  test("upload parts are a fixed size except the last, and lose no byte", async () => {
    const bytes = new Uint8Array(25).map((_, i) => i);
    const parts = [];
    for await (const part of uploadParts(inChunks(bytes, 7), 10)) parts.push([...part]);
    expect(parts.map((part) => part.length)).toEqual([10, 10, 5]);
    expect(parts.flat()).toEqual([...bytes]);
  });
});
