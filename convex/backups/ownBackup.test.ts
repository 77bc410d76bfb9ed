import { afterEach, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import schema from "../schema";
import { backendWithTeam } from "../test.helpers";
import {
  connectDeployment,
  DEPLOY_KEY,
  DEPLOYMENT_URL,
  exportingDeployment,
  fakeFetch,
  releaseDeployment,
} from "./fakeDeployment.helpers";
import type { ExportObject } from "../lib/snapshot/exportJson";
import { sha256 } from "../lib/snapshot/sha256";
import { snapshotOf, testId } from "../lib/snapshot/snapshotFixture.helpers";
import { snapshotZipChunks } from "../lib/snapshot/snapshotZip";
import { collect } from "../lib/snapshot/testBytes.helpers";
import { ZipReader } from "../lib/snapshot/zipReader";

const WEBHOOK_SECRET = "whsec0123456789abcdef0123456789ab";
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Every entry of a ZIP, inflated, as one text per entry. */
async function inflatedEntries(zip: Uint8Array<ArrayBuffer>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for await (const entry of new ZipReader(new Blob([zip]).stream()).entries()) {
    texts.set(entry.name, new TextDecoder().decode(await collect(entry.chunks())));
  }
  return texts;
}

afterEach(() => {
  releaseDeployment();
  delete process.env.CONVEX_CLOUD_URL;
});

test("a backup of the console's own deployment holds no key, webhook secret, live refresh token or password hash", async () => {
  const { t, team } = await backendWithTeam();
  // The connected deployment is the console itself.
  process.env.CONVEX_CLOUD_URL = DEPLOYMENT_URL;
  const deployment = exportingDeployment(new Uint8Array());
  await connectDeployment(team.admin, fakeFetch(t, deployment));
  await team.admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: WEBHOOK_SECRET });
  // An admin's fresh, unused refresh token: `<authRefreshTokens id>|<session id>`.
  const signedIn = await t.action(api.auth.signIn, {
    provider: "password",
    params: { email: "admin@example.com", password: "correct-horse-battery-9", flow: "signIn" },
  });

  // The export Convex would make of the console's deployment: every table as it is now.
  const tables = await t.run(async (ctx) => {
    const dump: Record<string, ExportObject[]> = {};
    for (const name of Object.keys(schema.tables)) {
      const rows = await ctx.db.query(name as keyof typeof schema.tables).collect();
      if (rows.length > 0) dump[name] = rows as unknown as ExportObject[];
    }
    return dump;
  });
  // convex-test's ids are not Convex's: give every row a real id and rewrite references to match.
  const ids = new Map<string, string>();
  Object.values(tables).forEach((rows, table) =>
    rows.forEach((row, i) => ids.set(String(row._id), testId(10001 + table, i))),
  );
  const reId = (value: unknown): unknown =>
    typeof value === "string"
      ? value
          .split("|")
          .map((part) => ids.get(part) ?? part)
          .join("|")
      : Array.isArray(value)
        ? value.map(reId)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reId(v)]))
          : value;
  for (const name of Object.keys(tables))
    tables[name] = tables[name]!.map((row) => reId(row) as ExportObject);
  const passwordHash = String(tables.authAccounts![0]!.secret);
  const refreshToken = reId(signedIn.tokens!.refreshToken) as string;
  const [refreshTokenId, sessionId] = refreshToken.split("|") as [string, string];
  const exported = await collect(
    snapshotZipChunks(snapshotOf(tables), { modifiedAt: new Date("2026-11-24T09:00:00Z") }),
  );
  const secrets = {
    deployKey: DEPLOY_KEY.split("|")[1]!,
    webhookSecret: WEBHOOK_SECRET,
    refreshToken,
    refreshTokenId,
    sessionId,
    passwordHash,
  };
  // What Convex's export holds: the test would see each credential if the copy kept it.
  deployment.zip = exported;
  const original = [...(await inflatedEntries(exported)).values()].join("\n");
  for (const value of [refreshTokenId, sessionId, passwordHash]) expect(original).toContain(value);

  const backupId = await team.operator.client.mutation(api.backups.backups.backupNow, {
    includeStorage: false,
  });
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  const done = (await t.run(async (ctx) => await ctx.db.get("backups", backupId)))!;
  expect(done.status).toEqual({ state: "verified" });
  const stored = new Uint8Array(
    await t.run(async (ctx) => await (await ctx.storage.get(done.storageId!))!.arrayBuffer()),
  );
  // Size, digest and row counts are those of the file stored.
  expect(done.sizeBytes).toBe(stored.length);
  expect(done.sha256).toBe(hex(sha256(stored)));
  const entries = await inflatedEntries(stored);
  for (const [name, text] of entries) {
    for (const [what, value] of Object.entries(secrets)) {
      expect(text.includes(value), `${what} in ${name}`).toBe(false);
    }
  }
  expect(entries.get("authRefreshTokens/documents.jsonl")).toBe("");
  expect(entries.get("authSessions/documents.jsonl")).toBe("");
  const accounts = entries.get("authAccounts/documents.jsonl")!.trim().split("\n");
  expect(accounts).toHaveLength(3);
  expect(JSON.parse(accounts[0]!)).toMatchObject({
    provider: "password",
    providerAccountId: expect.any(String),
  });
  expect(done.tables).toContainEqual({ component: "", table: "authSessions", rows: 0 });
  expect(done.tables).toContainEqual({ component: "", table: "users", rows: 3 });
}, 30_000);
