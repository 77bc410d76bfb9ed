import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { newBackend, signIn, signUp, STRONG_PASSWORD } from "../test.helpers";

function errorCode(error: unknown): string | undefined {
  return error instanceof ConvexError ? (error.data as { code?: string }).code : undefined;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return errorCode(error) ?? (error as Error).message;
  }
  return "no error";
}

describe("sign-up and roles", () => {
  test("the first account on an empty deployment becomes admin", async () => {
    const t = await newBackend();
    expect(await t.query(api.users.account.bootstrapStatus, {})).toEqual({ needsFirstAdmin: true });
    const first = await signUp(t, "First@Example.com");
    const me = await first.client.query(api.users.account.me, {});
    expect(me).toMatchObject({ email: "first@example.com", role: "admin" });
    expect(await t.query(api.users.account.bootstrapStatus, {})).toEqual({ needsFirstAdmin: false });
  });

  test("a second sign-up without an invite is refused with NOT_INVITED and creates nothing", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    expect(await codeOf(signUp(t, "stranger@example.com"))).toBe("NOT_INVITED");
    const users = await t.run(async (ctx) => await ctx.db.query("users").collect());
    expect(users.map((user) => user.email)).toEqual(["admin@example.com"]);
    const accounts = await t.run(async (ctx) => await ctx.db.query("authAccounts").collect());
    expect(accounts).toHaveLength(1);
  });

  test("an invited sign-up gets the invited role and uses up the invite", async () => {
    const t = await newBackend();
    const admin = await signUp(t, "admin@example.com");
    await admin.client.mutation(api.users.invites.create, { email: " Ops@Example.com ", role: "operator" });
    const operator = await signUp(t, "ops@example.com");
    expect(await operator.client.query(api.users.account.me, {})).toMatchObject({ role: "operator" });
    expect(await admin.client.query(api.users.invites.listPending, {})).toEqual([]);
  });

  test("an expired invite is refused", async () => {
    const t = await newBackend();
    const admin = await signUp(t, "admin@example.com");
    const inviteId = await admin.client.mutation(api.users.invites.create, {
      email: "late@example.com",
      role: "viewer",
    });
    await t.run(async (ctx) => await ctx.db.patch("invites", inviteId, { expiresAt: Date.now() - 1 }));
    expect(await codeOf(signUp(t, "late@example.com"))).toBe("NOT_INVITED");
  });

  test("a revoked invite no longer lets anyone sign up", async () => {
    const t = await newBackend();
    const admin = await signUp(t, "admin@example.com");
    const inviteId = await admin.client.mutation(api.users.invites.create, {
      email: "gone@example.com",
      role: "viewer",
    });
    await admin.client.mutation(api.users.invites.revoke, { inviteId });
    expect(await codeOf(signUp(t, "gone@example.com"))).toBe("NOT_INVITED");
  });

  test("weak passwords are refused with the rules that failed", async () => {
    const t = await newBackend();
    try {
      await signUp(t, "admin@example.com", "short");
      expect.unreachable();
    } catch (error) {
      expect(errorCode(error)).toBe("WEAK_PASSWORD");
      expect((error as ConvexError<{ message: string }>).data.message).toMatch(/at least 10 characters/);
    }
    expect(await t.query(api.users.account.bootstrapStatus, {})).toEqual({ needsFirstAdmin: true });
  });

  test("signing in checks the password and signing up twice is refused", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    expect(await codeOf(signIn(t, "admin@example.com", "wrong-password-123"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signIn(t, "nobody@example.com"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signUp(t, "admin@example.com", "another-password-42"))).toBe("ACCOUNT_EXISTS");
    const again = await signIn(t, "ADMIN@example.com", STRONG_PASSWORD);
    expect(await again.client.query(api.users.account.me, {})).toMatchObject({ role: "admin" });
  });

  test("sign-up and invite actions are audited", async () => {
    const t = await newBackend();
    const admin = await signUp(t, "admin@example.com");
    await admin.client.mutation(api.users.invites.create, { email: "ops@example.com", role: "operator" });
    await signUp(t, "ops@example.com");
    const page = await admin.client.query(api.audit.trail.list, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(page.page.map((row) => [row.action, row.actorEmail, row.target])).toEqual([
      ["user.signed_up", "ops@example.com", "ops@example.com"],
      ["invite.created", "admin@example.com", "ops@example.com"],
      ["user.bootstrap_admin", "admin@example.com", "admin@example.com"],
    ]);
  });
});
