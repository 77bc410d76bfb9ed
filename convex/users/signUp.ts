import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { recordAudit } from "../audit/record";
import { appError } from "../lib/errors";
import { normalizeEmail } from "./model/password";

/**
 * Decides who may create an account: the very first account on an empty deployment becomes
 * admin; everyone after that needs a pending, unexpired invite for their email, whose role they get.
 * Runs inside @convex-dev/auth's sign-up transaction, so a refusal creates nothing.
 */
export async function createUserFromSignUp(
  ctx: MutationCtx,
  profile: Record<string, unknown>,
): Promise<Id<"users">> {
  const email = normalizeEmail(String(profile.email ?? ""));
  const name = typeof profile.name === "string" && profile.name !== "" ? profile.name : undefined;
  const anyUser = await ctx.db.query("users").first();

  if (anyUser === null) {
    const userId = await ctx.db.insert("users", { email, name, role: "admin" });
    await recordAudit(ctx, {
      actor: { _id: userId, email },
      action: "user.bootstrap_admin",
      target: email,
      details: { role: "admin" },
    });
    return userId;
  }

  const invite = await ctx.db
    .query("invites")
    .withIndex("by_email_status", (q) => q.eq("email", email).eq("status", "pending"))
    .first();
  if (invite === null) {
    throw appError("NOT_INVITED", "This email has no invite. Ask an admin of this console to invite you.");
  }
  if (invite.expiresAt <= Date.now()) {
    throw appError("NOT_INVITED", "Your invite has expired. Ask an admin to invite you again.");
  }
  const userId = await ctx.db.insert("users", { email, name, role: invite.role });
  await ctx.db.patch("invites", invite._id, { status: "accepted", acceptedAt: Date.now() });
  await recordAudit(ctx, {
    actor: { _id: userId, email },
    action: "user.signed_up",
    target: email,
    details: { role: invite.role, invitedBy: invite.invitedByEmail },
  });
  return userId;
}
