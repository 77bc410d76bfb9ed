import { describe, expect, test, vi } from "vitest";
import { api } from "../_generated/api";
import { DEFAULT_EDITABLE_SETTINGS } from "./model/settingsRules";
import { signBody } from "../metrics/model/logStream";
import { backendWithAdmin } from "../test.helpers";

const SECRET = "0123456789abcdef0123456789abcdef";

describe("thresholds and retention", () => {
  test("defaults until an admin changes them; the change is audited field by field", async () => {
    const { admin } = await backendWithAdmin();
    expect((await admin.client.query(api.settings.settings.get, {})).values).toEqual(
      DEFAULT_EDITABLE_SETTINGS,
    );
    await admin.client.mutation(api.settings.settings.update, {
      ...DEFAULT_EDITABLE_SETTINGS,
      slowDurationMs: 400,
    });
    const current = await admin.client.query(api.settings.settings.get, {});
    expect(current).toMatchObject({ values: { slowDurationMs: 400 }, updatedBy: "admin@example.com" });
    const audit = await admin.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 1, cursor: null },
      action: "settings.updated",
    });
    expect(audit.page[0]?.details).toEqual({ slowDurationMs: "100 → 400" });
  });

  test("invalid values are refused with every problem named, and nothing changes", async () => {
    const { admin } = await backendWithAdmin();
    await expect(
      admin.client.mutation(api.settings.settings.update, {
        ...DEFAULT_EDITABLE_SETTINGS,
        rawRetentionHours: 0,
        slowDbCalls: -1,
      }),
    ).rejects.toThrow(/database calls must be a whole number.*retention must be a whole number/);
    expect((await admin.client.query(api.settings.settings.get, {})).values).toEqual(
      DEFAULT_EDITABLE_SETTINGS,
    );
  });

  test("the ingest applies the admin's slow threshold", async () => {
    const { t, admin } = await backendWithAdmin();
    await admin.client.mutation(api.metrics.webhookSecrets.setSecret, { secret: SECRET });
    await admin.client.mutation(api.settings.settings.update, {
      ...DEFAULT_EDITABLE_SETTINGS,
      slowDurationMs: 1000,
    });
    const convex = { deployment_name: "prod", deployment_type: "prod", project_name: "a", project_slug: "a" };
    const event = (id: string, ms: number) => ({
      topic: "function_execution",
      timestamp: Date.now(),
      convex,
      function: { path: "tasks:list", type: "query", request_id: id },
      execution_time_ms: ms,
      status: "success",
      error_message: null,
      usage: null,
    });
    const body = JSON.stringify([event("a", 500), event("b", 1500)]);
    await t.fetch("/log-stream", {
      method: "POST",
      headers: { "x-webhook-signature": await signBody(SECRET, new TextEncoder().encode(body)) },
      body,
    });
    const slow = await t.run(async (ctx) => await ctx.db.query("slowCalls").collect());
    expect(slow.map((row) => row.requestId)).toEqual(["b"]);
  });
});

describe("team time zone", () => {
  test("set once on Settings, it is the zone backups schedule in and usage months count in", async () => {
    vi.setSystemTime(Date.parse("2026-11-30T12:30:00Z"));
    const { admin } = await backendWithAdmin();
    expect(await admin.client.query(api.settings.settings.timeZone, {})).toBe("UTC");
    await admin.client.mutation(api.settings.settings.setTimeZone, { timeZone: " Pacific/Auckland " });
    expect(await admin.client.query(api.settings.settings.timeZone, {})).toBe("Pacific/Auckland");
    expect((await admin.client.query(api.backups.backups.settings, {})).timeZone).toBe("Pacific/Auckland");
    // 12:30 UTC on 30 November is already 1 December in Auckland (UTC+13).
    const usage = await admin.client.query(api.usage.usage.summary, { now: Date.now() });
    expect(usage.timeZone).toBe("Pacific/Auckland");
    expect(usage.month).toMatchObject({ key: "2026-12", start: Date.parse("2026-11-30T11:00:00Z") });
    vi.useRealTimers();
  });
});
