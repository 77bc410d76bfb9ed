import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

type AuditDetails = Record<string, string | number | boolean | null>;

type AuditEntry = {
  actor: { _id: Id<"users">; email: string } | null;
  /** Typed by the audit table's validator, so lib depends on no domain while every domain writes here. */
  action: Doc<"audit">["action"];
  target: string;
  details?: AuditDetails;
};

/** Written by every mutation with a side effect, in the same transaction as the change itself. */
export async function recordAudit(ctx: MutationCtx, entry: AuditEntry): Promise<void> {
  await ctx.db.insert("audit", {
    actorId: entry.actor?._id,
    actorEmail: entry.actor?.email ?? "system",
    action: entry.action,
    target: entry.target,
    details: entry.details,
    at: Date.now(),
  });
}
