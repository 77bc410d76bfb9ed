import { expect, test } from "vitest";
import { BACKUP_STATE_LABELS, RPO_STATE_LABELS, rpoStatus } from "./shared";
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
