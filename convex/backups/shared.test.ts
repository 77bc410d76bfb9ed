import { describe, expect, test } from "vitest";
import { BACKUP_STATE_LABELS, backupName, RPO_STATE_LABELS, rpoStatus } from "./shared";
import { FINAL_STATES } from "./model/states";

test("every backup state and RPO state has a label", () => {
  expect(Object.keys(BACKUP_STATE_LABELS)).toEqual(
    expect.arrayContaining([...FINAL_STATES, "requested", "exporting", "copying", "verifying"]),
  );
  const now = Date.now();
  for (const newestVerifiedAt of [null, now, now - 50 * 60_000, now - 2 * 3_600_000]) {
    expect(RPO_STATE_LABELS[rpoStatus({ newestVerifiedAt, now }).state]).toBeTruthy();
  }
});

describe("backupName", () => {
  test("names the deployment and the UTC second, so a backup and its pre-restore backup a minute apart or less differ", () => {
    const at = Date.UTC(2026, 10, 24, 9, 30, 15);
    expect(backupName({ deployment: "happy-otter-123", requestedAt: at })).toBe(
      "happy-otter-123-2026-11-24-093015",
    );
    expect(backupName({ deployment: "happy-otter-123", requestedAt: at + 20_000 })).not.toBe(
      backupName({ deployment: "happy-otter-123", requestedAt: at }),
    );
  });
});
