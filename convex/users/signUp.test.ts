import { ConvexError } from "convex/values";
import { Scrypt } from "lucia";
import { describe, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import {
  backendWithAdmin,
  invite,
  newBackend,
  signIn,
  signUp,
  STRONG_PASSWORD,
  type Backend,
} from "../test.helpers";

function errorCode(error: unknown): string | undefined {
  return error instanceof ConvexError ? (error.data as { code?: string }).code : undefined;
}

async function messageOf(promise: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await promise;
  } catch (error) {
    return error instanceof ConvexError ? (error.data as { code?: string; message?: string }) : {};
  }
  return {};
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
    expect(await t.query(api.users.users.bootstrapStatus, {})).toEqual({ needsFirstAdmin: true });
    const first = await signUp(t, "First@Example.com");
    const me = await first.client.query(api.users.users.me, {});
    expect(me).toMatchObject({ email: "first@example.com", role: "admin" });
    expect(await t.query(api.users.users.bootstrapStatus, {})).toEqual({ needsFirstAdmin: false });
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

  test("an invited sign-up with the link's token gets the invited role and uses up the invite", async () => {
    const { t, admin } = await backendWithAdmin();
    const { token } = await invite(admin, " Ops@Example.com ", "operator");
    const operator = await signUp(t, "ops@example.com", STRONG_PASSWORD, token);
    expect(await operator.client.query(api.users.users.me, {})).toMatchObject({ role: "operator" });
    expect(await admin.client.query(api.users.invites.listPending, {})).toEqual([]);
  });

  test("the invite link carries a random token of at least 128 bits, and only its SHA-256 hash is stored", async () => {
    const { t, admin } = await backendWithAdmin();
    const first = await invite(admin, "a@example.com", "viewer");
    const second = await invite(admin, "b@example.com", "viewer");
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(first.token).not.toBe(second.token);
    const stored = await t.run(async (ctx) => await ctx.db.get("invites", first.inviteId));
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(first.token));
    const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
    expect(stored?.tokenHash).toBe(hex);
    expect(JSON.stringify(stored)).not.toContain(first.token);
    expect(JSON.stringify(await admin.client.query(api.users.invites.listPending, {}))).not.toContain(
      first.token,
    );
    expect(first.expiresAt - Date.now()).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
  });

  test("a stranger cannot take over someone else's pending admin invite: refused, nothing stored", async () => {
    const { t, admin } = await backendWithAdmin();
    const { inviteId } = await invite(admin, "new-admin@example.com", "admin");
    const before = await t.run(async (ctx) => ({
      users: (await ctx.db.query("users").collect()).length,
      accounts: (await ctx.db.query("authAccounts").collect()).length,
    }));

    // Knowing the invited address is not enough: no token, then a made-up one.
    expect(await codeOf(signUp(t, "new-admin@example.com", "attacker-chosen-pw-1"))).toBe("NOT_INVITED");
    expect(await codeOf(signUp(t, "new-admin@example.com", "attacker-chosen-pw-1", "A".repeat(43)))).toBe(
      "NOT_INVITED",
    );

    const after = await t.run(async (ctx) => ({
      users: (await ctx.db.query("users").collect()).length,
      accounts: (await ctx.db.query("authAccounts").collect()).length,
      invite: await ctx.db.get("invites", inviteId),
      byEmail: await ctx.db
        .query("users")
        .withIndex("email", (q) => q.eq("email", "new-admin@example.com"))
        .first(),
    }));
    expect(after.users).toBe(before.users);
    expect(after.accounts).toBe(before.accounts);
    expect(after.byEmail).toBeNull();
    expect(after.invite?.status).toBe("pending");
    await expect(signIn(t, "new-admin@example.com", "attacker-chosen-pw-1")).rejects.toThrow();
  });

  test("an invite link works for its own email only", async () => {
    const { t, admin } = await backendWithAdmin();
    const { token } = await invite(admin, "invitee@example.com", "admin");
    const refusal = await messageOf(signUp(t, "someone-else@example.com", STRONG_PASSWORD, token));
    expect(refusal).toEqual({ code: "NOT_INVITED", message: expect.stringMatching(/different email/) });
    const pending = await admin.client.query(api.users.invites.listPending, {});
    expect(pending.map((invite) => invite.email)).toEqual(["invitee@example.com"]);
    const invitee = await signUp(t, "invitee@example.com", STRONG_PASSWORD, token);
    expect(await invitee.client.query(api.users.users.me, {})).toMatchObject({ role: "admin" });
  });

  test("a used invite link cannot be used again", async () => {
    const { t, admin } = await backendWithAdmin();
    const { token } = await invite(admin, "once@example.com", "viewer");
    await signUp(t, "once@example.com", STRONG_PASSWORD, token);
    await admin.client.mutation(api.users.users.remove, {
      userId: (await t.run(
        async (ctx) =>
          await ctx.db
            .query("users")
            .withIndex("email", (q) => q.eq("email", "once@example.com"))
            .unique(),
      ))!._id,
    });
    expect(await messageOf(signUp(t, "once@example.com", STRONG_PASSWORD, token))).toEqual({
      code: "NOT_INVITED",
      message: expect.stringMatching(/already been used/),
    });
  });

  test("an expired invite link is refused and says so", async () => {
    const { t, admin } = await backendWithAdmin();
    const { inviteId, token } = await invite(admin, "late@example.com", "viewer");
    await t.run(async (ctx) => await ctx.db.patch("invites", inviteId, { expiresAt: Date.now() - 1 }));
    expect(await messageOf(signUp(t, "late@example.com", STRONG_PASSWORD, token))).toEqual({
      code: "NOT_INVITED",
      message: expect.stringMatching(/expired/),
    });
  });

  test("a revoked invite link no longer lets anyone sign up", async () => {
    const { t, admin } = await backendWithAdmin();
    const { inviteId, token } = await invite(admin, "gone@example.com", "viewer");
    await admin.client.mutation(api.users.invites.revoke, { inviteId });
    expect(await messageOf(signUp(t, "gone@example.com", STRONG_PASSWORD, token))).toEqual({
      code: "NOT_INVITED",
      message: expect.stringMatching(/revoked/),
    });
  });

  test("re-inviting an address replaces its link: the old token stops working", async () => {
    const { t, admin } = await backendWithAdmin();
    const first = await invite(admin, "re@example.com", "viewer");
    const second = await invite(admin, "re@example.com", "operator");
    expect(await codeOf(signUp(t, "re@example.com", STRONG_PASSWORD, first.token))).toBe("NOT_INVITED");
    const user = await signUp(t, "re@example.com", STRONG_PASSWORD, second.token);
    expect(await user.client.query(api.users.users.me, {})).toMatchObject({ role: "operator" });
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
    expect(await t.query(api.users.users.bootstrapStatus, {})).toEqual({ needsFirstAdmin: true });
  });

  test("signing in checks the password and signing up twice is refused", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    expect(await codeOf(signIn(t, "admin@example.com", "wrong-password-123"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signIn(t, "nobody@example.com"))).toBe("INVALID_CREDENTIALS");
    expect(await codeOf(signUp(t, "admin@example.com", "another-password-42"))).toBe("NOT_INVITED");
    const again = await signIn(t, "ADMIN@example.com", STRONG_PASSWORD);
    expect(await again.client.query(api.users.users.me, {})).toMatchObject({ role: "admin" });
  });

  test("sign-up and invite actions are audited", async () => {
    const { t, admin } = await backendWithAdmin();
    const { token } = await invite(admin, "ops@example.com", "operator");
    await signUp(t, "ops@example.com", STRONG_PASSWORD, token);
    const page = await admin.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(page.page.map((row) => [row.action, row.actorEmail, row.target])).toEqual([
      ["user.signed_up", "ops@example.com", "ops@example.com"],
      ["invite.created", "admin@example.com", "ops@example.com"],
      ["user.bootstrap_admin", "admin@example.com", "admin@example.com"],
    ]);
  });

  test("an invite link's status tells its holder, before signing up, whom it is for or why it no longer works", async () => {
    const { t, admin } = await backendWithAdmin();
    const live = await invite(admin, "ops@example.com", "operator");
    const revoked = await invite(admin, "x@example.com", "viewer");
    await admin.client.mutation(api.users.invites.revoke, { inviteId: revoked.inviteId });

    expect(await t.query(api.users.invites.linkStatus, { token: live.token })).toEqual({
      usable: true,
      email: "ops@example.com",
      role: "operator",
      expiresAt: live.expiresAt,
    });
    expect(await t.query(api.users.invites.linkStatus, { token: revoked.token })).toEqual({
      usable: false,
      problem: expect.stringMatching(/revoked/),
    });
    expect(await t.query(api.users.invites.linkStatus, { token: "B".repeat(43) })).toEqual({
      usable: false,
      problem: expect.stringMatching(/not valid/),
    });
    await signUp(t, "ops@example.com", STRONG_PASSWORD, live.token);
    expect(await t.query(api.users.invites.linkStatus, { token: live.token })).toEqual({
      usable: false,
      problem: expect.stringMatching(/already been used/),
    });
  });
});

/** The raw answer of the public auth:signIn action for a sign-up, as an attacker sees it. */
async function rawSignUp(t: Backend, email: string, password: string, invite?: string) {
  try {
    const result = await t.action(api.auth.signIn, {
      provider: "password",
      params: { email, password, flow: "signUp", ...(invite === undefined ? {} : { invite }) },
    });
    return { tokens: result.tokens ?? null };
  } catch (error) {
    return { refusal: error instanceof ConvexError ? error.data : String(error) };
  }
}

describe("sign-up cannot test passwords", () => {
  test("sign-up with an existing email and its right password gives no tokens without an invite", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    const right = await rawSignUp(t, "admin@example.com", STRONG_PASSWORD);
    const wrong = await rawSignUp(t, "admin@example.com", "wrong-password-123");
    expect(right).toEqual({ refusal: { code: "NOT_INVITED", message: expect.any(String) } });
    // Right and wrong passwords answer alike: nothing to learn about the password.
    expect(wrong).toEqual(right);
  });

  test("a made-up invite token does not open the way to an existing account either", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    const answer = await rawSignUp(t, "admin@example.com", STRONG_PASSWORD, "A".repeat(43));
    expect(answer).toEqual({ refusal: { code: "NOT_INVITED", message: expect.stringMatching(/not valid/) } });
  });

  test("a locked-out account stays locked through sign-up: the right password gives no tokens", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    // Locked as the library leaves it after MAX_FAILED_SIGN_INS_PER_HOUR wrong passwords.
    await t.run(async (ctx) => {
      const account = (await ctx.db.query("authAccounts").first())!;
      await ctx.db.insert("authRateLimits", {
        identifier: account._id,
        attemptsLeft: 0,
        lastAttemptTime: Date.now(),
      });
    });
    expect(await codeOf(signIn(t, "admin@example.com", STRONG_PASSWORD))).toBe("RATE_LIMIT_EXCEEDED");
    expect(await rawSignUp(t, "admin@example.com", STRONG_PASSWORD)).toEqual({
      refusal: { code: "NOT_INVITED", message: expect.any(String) },
    });
    expect(await codeOf(signIn(t, "admin@example.com", STRONG_PASSWORD))).toBe("RATE_LIMIT_EXCEEDED");
  });

  test("known and unknown emails get the same refusal, from sign-up and from sign-in", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    expect(await rawSignUp(t, "admin@example.com", "wrong-password-123")).toEqual(
      await rawSignUp(t, "nobody@example.com", "wrong-password-123"),
    );
    expect(await messageOf(signIn(t, "admin@example.com", "wrong-password-123"))).toEqual(
      await messageOf(signIn(t, "nobody@example.com", "wrong-password-123")),
    );
  });

  test("a sign-in for an unknown email does the same scrypt work as a wrong password for a known one", async () => {
    const t = await newBackend();
    await signUp(t, "admin@example.com");
    const verify = vi.spyOn(Scrypt.prototype, "verify");
    try {
      await codeOf(signIn(t, "admin@example.com", "wrong-password-123"));
      const known = verify.mock.calls.length;
      verify.mockClear();
      await codeOf(signIn(t, "nobody@example.com", "wrong-password-123"));
      const unknown = verify.mock.calls.length;
      expect(known).toBe(1);
      expect(unknown).toBe(known);
    } finally {
      verify.mockRestore();
    }
  });
});
