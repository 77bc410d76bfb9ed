import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import {
  backendWithAdmin,
  invite,
  newBackend,
  rejectionCode,
  signIn,
  STRONG_PASSWORD,
  teamOfThree,
} from "../test.helpers";

describe("user administration", () => {
  test("the last admin can be neither demoted nor removed", async () => {
    const t = await newBackend();
    const { admin, operator } = await teamOfThree(t);
    expect(
      await rejectionCode(
        admin.client.mutation(api.users.users.setRole, { userId: admin.userId, role: "viewer" }),
      ),
    ).toBe("LAST_ADMIN");

    await admin.client.mutation(api.users.users.setRole, { userId: operator.userId, role: "admin" });
    expect(await rejectionCode(admin.client.mutation(api.users.users.remove, { userId: admin.userId }))).toBe(
      "VALIDATION_ERROR",
    );
    await operator.client.mutation(api.users.users.remove, { userId: admin.userId });
    expect(
      await rejectionCode(
        operator.client.mutation(api.users.users.setRole, { userId: operator.userId, role: "operator" }),
      ),
    ).toBe("LAST_ADMIN");
    const roles = (await operator.client.query(api.users.users.list, {})).map((user) => [
      user.email,
      user.role,
    ]);
    expect(roles).toEqual([
      ["viewer@example.com", "viewer"],
      ["operator@example.com", "admin"],
    ]);
  });

  test("with two admins, one can be demoted and the change is audited", async () => {
    const t = await newBackend();
    const { admin, viewer } = await teamOfThree(t);
    await admin.client.mutation(api.users.users.setRole, { userId: viewer.userId, role: "admin" });
    await admin.client.mutation(api.users.users.setRole, { userId: admin.userId, role: "operator" });
    expect(await admin.client.query(api.users.users.me, {})).toMatchObject({ role: "operator" });
    const page = await viewer.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 2, cursor: null },
      action: "user.role_changed",
    });
    expect(page.page.map((row) => [row.target, row.details])).toEqual([
      ["admin@example.com", { from: "admin", to: "operator" }],
      ["viewer@example.com", { from: "viewer", to: "admin" }],
    ]);
  });

  test("a removed user loses their sessions, cannot sign in, and the removal is audited", async () => {
    const t = await newBackend();
    const { admin, operator } = await teamOfThree(t);
    await admin.client.mutation(api.users.users.remove, { userId: operator.userId });
    expect(await rejectionCode(operator.client.query(api.users.users.me, {}))).toBe("UNAUTHENTICATED");
    const leftovers = await t.run(async (ctx) => ({
      sessions: await ctx.db
        .query("authSessions")
        .withIndex("userId", (q) => q.eq("userId", operator.userId))
        .collect(),
      accounts: await ctx.db
        .query("authAccounts")
        .withIndex("userIdAndProvider", (q) => q.eq("userId", operator.userId))
        .collect(),
    }));
    expect(leftovers).toEqual({ sessions: [], accounts: [] });
    await expect(signIn(t, "operator@example.com")).rejects.toThrow();
    const page = await admin.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 1, cursor: null },
      actor: "ADMIN@example.com",
    });
    expect(page.page[0]).toMatchObject({ action: "user.removed", target: "operator@example.com" });
  });

  test("inviting someone twice renews the pending invite instead of duplicating it", async () => {
    const { admin } = await backendWithAdmin();
    await invite(admin, "new@example.com", "viewer");
    await invite(admin, "NEW@example.com", "operator");
    const pending = await admin.client.query(api.users.invites.listPending, {});
    expect(pending.map((invite) => [invite.email, invite.role])).toEqual([["new@example.com", "operator"]]);
  });

  test("a pending invite from before invite links says it has no link, so the admin re-invites", async () => {
    const { t, admin } = await backendWithAdmin();
    await t.run(async (ctx) => {
      await ctx.db.insert("invites", {
        email: "old@example.com",
        role: "viewer",
        status: "pending",
        invitedBy: admin.userId,
        invitedByEmail: "admin@example.com",
        expiresAt: Date.now() + 60_000,
      });
    });
    await invite(admin, "new@example.com", "viewer");
    const pending = await admin.client.query(api.users.invites.listPending, {});
    expect(pending.map((invite) => [invite.email, invite.hasLink])).toEqual([
      ["new@example.com", true],
      ["old@example.com", false],
    ]);
  });

  test("bad invites are refused with a clear code and store nothing", async () => {
    const { admin } = await backendWithAdmin();
    expect(await rejectionCode(invite(admin, "not-an-email", "viewer"))).toBe("VALIDATION_ERROR");
    expect(await rejectionCode(invite(admin, "admin@example.com", "viewer"))).toBe("CONFLICT");
    expect(await admin.client.query(api.users.invites.listPending, {})).toEqual([]);
  });

  test("ten wrong passwords lock an account; the user is told when to retry, and an admin can clear the lock", async () => {
    const t = await newBackend();
    const { admin, operator } = await teamOfThree(t);
    for (let attempt = 0; attempt < 10; attempt++) {
      await expect(signIn(t, "operator@example.com", "wrong-password-123")).rejects.toThrow();
    }
    const lockedAt = Date.now();
    const refusal = await signIn(t, "operator@example.com", STRONG_PASSWORD).then(
      () => expect.unreachable("a locked account must not sign in"),
      (caught: unknown) => (caught as ConvexError<{ code: string; message: string; retryAt: number }>).data,
    );
    expect(refusal.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(refusal.retryAt).toBeGreaterThan(lockedAt + 5 * 60_000);
    expect(refusal.retryAt).toBeLessThanOrEqual(lockedAt + 6 * 60_000 + 1000);
    expect(refusal.message).toMatch(/Try again after \d\d:\d\d UTC/);

    const listed = await admin.client.query(api.users.users.list, {});
    const locked = listed.find((user) => user.email === "operator@example.com");
    expect(locked?.lockedUntil).toBe(refusal.retryAt);
    expect(listed.find((user) => user.email === "admin@example.com")?.lockedUntil).toBeNull();

    expect(
      await rejectionCode(operator.client.mutation(api.users.users.clearLock, { userId: operator.userId })),
    ).toBe("UNAUTHORIZED");
    await admin.client.mutation(api.users.users.clearLock, { userId: operator.userId });
    const again = await signIn(t, "operator@example.com", STRONG_PASSWORD);
    expect(await again.client.query(api.users.users.me, {})).toMatchObject({
      email: "operator@example.com",
    });
    const page = await admin.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 1, cursor: null },
      action: "user.lock_cleared",
    });
    expect(page.page.map((row) => [row.actorEmail, row.target])).toEqual([
      ["admin@example.com", "operator@example.com"],
    ]);
  });
});
