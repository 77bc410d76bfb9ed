import { describe, expect, test } from "vitest";
import { backupName } from "./shared";

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
