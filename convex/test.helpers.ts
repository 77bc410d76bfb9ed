/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { ConvexError } from "convex/values";
import { expect } from "vitest";
import { decodeJwt, exportJWK, exportPKCS8, generateKeyPair } from "jose";
import { api } from "./_generated/api";
import { generateSecretsKey } from "./lib/secretBox";
import type { Doc, Id } from "./_generated/dataModel";
import schema from "./schema";

export const modules = import.meta.glob("./**/*.*s");

export const TEST_SITE_URL = "https://ops-console-test.convex.site";

let keysReady: Promise<void> | undefined;

/** @convex-dev/auth signs session JWTs with these; the test process gets a fresh RS256 pair. */
export function ensureAuthEnv(): Promise<void> {
  keysReady ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const pkcs8 = await exportPKCS8(privateKey);
    const jwk = await exportJWK(publicKey);
    process.env.JWT_PRIVATE_KEY = pkcs8.trimEnd().replace(/\n/g, " ");
    process.env.JWKS = JSON.stringify({ keys: [{ use: "sig", ...jwk }] });
    process.env.CONVEX_SITE_URL = TEST_SITE_URL;
    process.env.SITE_URL = "http://127.0.0.1:5173";
    process.env.AUTH_LOG_LEVEL = "ERROR";
    // The key stored secrets are encrypted with (convex/lib/secrets.ts); a test may unset it.
    process.env.CONSOLE_SECRETS_KEY = generateSecretsKey();
  })();
  return keysReady;
}

export async function newBackend() {
  await ensureAuthEnv();
  return convexTest(schema, modules);
}

export type Backend = Awaited<ReturnType<typeof newBackend>>;

export const STRONG_PASSWORD = "correct-horse-battery-9";

/**
 * Signs up through the real auth action and returns a client acting as that session. After the
 * first account, sign-up needs the token of an invite link (`invite`).
 */
export async function signUp(t: Backend, email: string, password = STRONG_PASSWORD, invite?: string) {
  const result = await t.action(api.auth.signIn, {
    provider: "password",
    params:
      invite === undefined
        ? { email, password, flow: "signUp" }
        : { email, password, flow: "signUp", invite },
  });
  return asSession(t, result);
}

export async function signIn(t: Backend, email: string, password = STRONG_PASSWORD) {
  const result = await t.action(api.auth.signIn, {
    provider: "password",
    params: { email, password, flow: "signIn" },
  });
  return asSession(t, result);
}

function asSession(t: Backend, result: { tokens?: { token: string } | null }) {
  const token = result.tokens?.token;
  if (!token) {
    throw new Error("sign-in returned no token");
  }
  const subject = decodeJwt(token).sub!;
  const userId = subject.split("|")[0] as Id<"users">;
  const client = t.withIdentity({
    subject,
    issuer: TEST_SITE_URL,
    tokenIdentifier: `${TEST_SITE_URL}|${subject}`,
  });
  return { userId, client, token };
}

type Session = Awaited<ReturnType<typeof signUp>>;

/** A fresh backend whose first account, and so its admin, has signed up. */
export async function backendWithAdmin() {
  const t = await newBackend();
  const admin = await signUp(t, "admin@example.com");
  return { t, admin };
}

/** An invite `admin` sends through the real mutation: its id and the link's token. */
export async function invite(admin: Session, email: string, role: "admin" | "operator" | "viewer") {
  return await admin.client.mutation(api.users.invites.create, { email, role });
}

/** The first account becomes admin; returns it plus accounts invited with each other role. */
export async function teamOfThree(t: Backend) {
  const admin = await signUp(t, "admin@example.com");
  const operatorInvite = await invite(admin, "operator@example.com", "operator");
  const viewerInvite = await invite(admin, "viewer@example.com", "viewer");
  const operator = await signUp(t, "operator@example.com", STRONG_PASSWORD, operatorInvite.token);
  const viewer = await signUp(t, "viewer@example.com", STRONG_PASSWORD, viewerInvite.token);
  return { admin, operator, viewer };
}

export type Team = Awaited<ReturnType<typeof teamOfThree>>;

/** A fresh backend with its team of three. */
export async function backendWithTeam() {
  const t = await newBackend();
  return { t, team: await teamOfThree(t) };
}

/** The code of the ConvexError `promise` is refused with; fails the test when it is not refused so. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.unreachable("expected the call to be refused"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConvexError);
  return (error as ConvexError<{ code: string }>).data.code;
}

/** Every audit row written so far, oldest first. */
export async function auditRows(t: Backend): Promise<Doc<"audit">[]> {
  return await t.run(async (ctx) => await ctx.db.query("audit").collect());
}
