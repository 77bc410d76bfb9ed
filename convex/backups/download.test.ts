import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { auditRows, backendWithTeam, TEST_SITE_URL, type Backend, type Team } from "../test.helpers";
import { DOWNLOAD_LINK_LIFETIME_MS, hashDownloadToken } from "./model/downloadToken";

let t: Backend;
let team: Team;
let backupId: Id<"backups">;
let storageUrl: string;

beforeEach(async () => {
  vi.useFakeTimers();
  ({ t, team } = await backendWithTeam());
  ({ backupId, storageUrl } = await t.run(async (ctx) => {
    const storageId = await ctx.storage.store(new Blob(["PK zip bytes"]));
    const id = await ctx.db.insert("backups", {
      kind: "manual",
      status: { state: "verified" },
      requestedAt: Date.now(),
      takenAt: Date.parse("2026-11-24T09:30:15Z"),
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
  return await team.admin.client.mutation(api.backups.backups.downloadLink, { backupId });
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
  test("taking a backup out is for admins: an operator or a viewer asking for a link is refused", async () => {
    await expect(
      team.operator.client.mutation(api.backups.backups.downloadLink, { backupId }),
    ).rejects.toThrow("This needs the admin role; you are signed in as operator.");
    await expect(team.viewer.client.mutation(api.backups.backups.downloadLink, { backupId })).rejects.toThrow(
      "This needs the admin role; you are signed in as viewer.",
    );
    expect(await t.run(async (ctx) => await ctx.db.query("backupDownloadTokens").collect())).toEqual([]);
  });

  test("a link is on the site origin, carries a 256-bit token, and serves the bytes once, named after the backup", async () => {
    const link = await requestLink();
    expect(tokenOf(link.url)).toMatch(/^[0-9a-f]{64}$/);
    expect(link.fileName).toBe("happy-otter-123-2026-11-24T09-30-15Z.zip");
    const first = await open(link.url);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("PK zip bytes");
    expect(first.headers.get("content-type")).toBe("application/zip");
    expect(first.headers.get("content-disposition")).toBe(
      `attachment; filename="happy-otter-123-2026-11-24T09-30-15Z.zip"; filename*=UTF-8''happy-otter-123-2026-11-24T09-30-15Z.zip`,
    );
    expect(first.headers.get("location")).toBeNull();
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("referrer-policy")).toBe("no-referrer");

    // Spent: nothing serves the bytes, and nothing names where they are stored.
    const second = await open(link.url);
    expect(second.status).toBe(410);
    expect(second.headers.get("location")).toBeNull();
    const refusal = await second.text();
    expect(refusal).toBe("This download link has already been used. Ask for a new one on the Backups page.");
    const storageId = await t.run(async (ctx) => (await ctx.db.get("backups", backupId))!.storageId!);
    for (const response of [first, second]) {
      expect(JSON.stringify([...response.headers])).not.toContain(storageId);
      expect(JSON.stringify([...response.headers])).not.toContain("/api/storage");
    }
    expect(refusal).not.toContain(storageId);
    expect(link.url).not.toContain(storageUrl);
    expect(JSON.stringify(link)).not.toContain(storageId);

    const audit = await auditRows(t);
    expect(
      audit
        .filter((row) => row.action.startsWith("backup.download"))
        .map((row) => [row.action, row.actorEmail, row.details?.linkRequestedBy ?? null]),
    ).toEqual([
      ["backup.download_link", "admin@example.com", null],
      ["backup.downloaded", "system", "admin@example.com"],
    ]);
  });

  test("a backup larger than one HTTP response may carry gets no link, with a sentence saying why", async () => {
    await t.run(async (ctx) => await ctx.db.patch("backups", backupId, { sizeBytes: 30 * 1024 * 1024 }));
    await expect(requestLink()).rejects.toThrow(/This file is 30\.0 MiB, and Convex serves at most 20 MiB/);
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
    expect((await open(fresh.url)).status).toBe(200);
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
    expect(await response.text()).toBe("This file has been deleted since the link was made.");
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

    const audit = await auditRows(t);
    const linkRows = audit.filter((row) => row.action === "backup.download_link");
    expect(linkRows).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(logged)).not.toContain(token);
  });
});
