import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { newBackend, teamOfThree, TEST_SITE_URL, type Backend } from "../test.helpers";
import { DOWNLOAD_LINK_LIFETIME_MS, hashDownloadToken } from "./model/downloadToken";

let t: Backend;
let team: Awaited<ReturnType<typeof teamOfThree>>;
let backupId: Id<"backups">;
let storageUrl: string;

beforeEach(async () => {
  vi.useFakeTimers();
  t = await newBackend();
  team = await teamOfThree(t);
  ({ backupId, storageUrl } = await t.run(async (ctx) => {
    const storageId = await ctx.storage.store(new Blob(["PK zip bytes"]));
    const id = await ctx.db.insert("backups", {
      kind: "manual",
      status: { state: "verified" },
      requestedAt: Date.now(),
      requestedBy: "ops@example.com",
      includeStorage: false,
      deployment: "happy-otter-123",
      deploymentUrl: "https://happy-otter-123.convex.cloud",
      storageId,
      pinned: false,
    });
    return { backupId: id, storageUrl: (await ctx.storage.getUrl(storageId))! };
  }));
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function requestLink() {
  return await team.operator.client.mutation(api.backups.backups.downloadLink, { backupId });
}

/** Opens a link as a browser would, on the deployment's site origin. */
async function open(url: string) {
  expect(url.startsWith(`${TEST_SITE_URL}/`)).toBe(true);
  return await t.fetch(url.slice(TEST_SITE_URL.length), { method: "GET", redirect: "manual" });
}

function tokenOf(url: string): string {
  return new URL(url).searchParams.get("token")!;
}

describe("download links", () => {
  test("a viewer cannot ask for one", async () => {
    await expect(team.viewer.client.mutation(api.backups.backups.downloadLink, { backupId })).rejects.toThrow(
      "This needs the operator role; you are signed in as viewer.",
    );
    expect(await t.run(async (ctx) => await ctx.db.query("backupDownloadTokens").collect())).toEqual([]);
  });

  test("a link is on the site origin, carries a 256-bit token, and redirects to the stored copy once", async () => {
    const link = await requestLink();
    expect(tokenOf(link.url)).toMatch(/^[0-9a-f]{64}$/);
    expect(link.url).not.toContain(storageUrl);
    const first = await open(link.url);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(storageUrl);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("referrer-policy")).toBe("no-referrer");

    const second = await open(link.url);
    expect(second.status).toBe(410);
    expect(second.headers.get("location")).toBeNull();
    expect(await second.text()).toBe(
      "This download link has already been used. Ask for a new one on the Backups page.",
    );
  });

  test("an expired link is refused, and the hourly sweep deletes it", async () => {
    const link = await requestLink();
    vi.advanceTimersByTime(DOWNLOAD_LINK_LIFETIME_MS + 1);
    const response = await open(link.url);
    expect(response.status).toBe(410);
    expect(await response.text()).toMatch(/^This download link has expired\./);

    const fresh = await requestLink();
    await t.mutation(internal.backups.cron.applyRetentionPolicy, {});
    const left = await t.run(async (ctx) => await ctx.db.query("backupDownloadTokens").collect());
    expect(left.map((row) => row.tokenHash)).toEqual([hashDownloadToken(tokenOf(fresh.url))]);
    expect((await open(fresh.url)).status).toBe(302);
  });

  test("a made-up, malformed or missing token is refused", async () => {
    await requestLink();
    for (const path of [
      `/backups/download?token=${"ab".repeat(32)}`,
      "/backups/download?token=not-a-token",
      "/backups/download",
    ]) {
      const response = await t.fetch(path, { method: "GET", redirect: "manual" });
      expect(response.status).toBe(403);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toBe(
        "This download link is not valid. Ask for a new one on the Backups page.",
      );
    }
  });

  test("a link to a backup deleted since is refused", async () => {
    const link = await requestLink();
    await t.run(async (ctx) => {
      const backup = (await ctx.db.get("backups", backupId))!;
      await ctx.storage.delete(backup.storageId!);
      await ctx.db.delete("backups", backupId);
    });
    const response = await open(link.url);
    expect(response.status).toBe(410);
    expect(await response.text()).toMatch(/deleted since the link was made/);
  });

  test("the token is stored only as its SHA-256 and never appears in the audit or a log", async () => {
    const logged: unknown[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(...args));
    }
    const link = await requestLink();
    const token = tokenOf(link.url);
    await open(link.url);
    await open(link.url);

    const stored = await t.run(async (ctx) => await ctx.db.query("backupDownloadTokens").collect());
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(hashDownloadToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    const audit = await t.run(async (ctx) => await ctx.db.query("audit").collect());
    const linkRows = audit.filter((row) => row.action === "backup.download_link");
    expect(linkRows).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(logged)).not.toContain(token);
  });
});
