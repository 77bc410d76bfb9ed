import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { auditBackup, startBackup } from "./store";

/**
 * The backup an import that replaces rows takes first. It is recorded as a pre-restore backup (the
 * kind for "taken before the deployment's data is overwritten") so retention and the Backups page
 * treat it like one.
 */
export async function startPreImportBackup(
  ctx: MutationCtx,
  actor: { _id: Id<"users">; email: string },
  importName: string,
): Promise<Id<"backups">> {
  const backupId = await startBackup(ctx, {
    kind: "pre-restore",
    includeStorage: false,
    requestedBy: actor.email,
  });
  const backup = (await ctx.db.get("backups", backupId))!;
  await auditBackup(ctx, actor, "backup.requested", backup, { before: importName });
  return backupId;
}

/** Where a pre-import backup stands: verified, still running, or ended without a usable copy. */
export async function preImportBackupState(
  ctx: QueryCtx,
  backupId: Id<"backups">,
): Promise<"verified" | "running" | { failed: string }> {
  const backup = await ctx.db.get("backups", backupId);
  if (backup === null) return { failed: "the pre-import backup was deleted" };
  const state = backup.status;
  if (state.state === "verified") return "verified";
  if (state.state === "failed" || state.state === "unverifiable") return { failed: state.reason };
  if (state.state === "canceled") return { failed: "the pre-import backup was canceled" };
  return "running";
}
