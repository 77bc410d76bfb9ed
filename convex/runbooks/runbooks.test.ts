import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { addToHistogram } from "../metrics/model/histogram";
import { ALL_FUNCTIONS, emptyTotals } from "../metrics/model/rollups";
import { backendWithTeam, rejectionCode, type Backend } from "../test.helpers";

/** Sunday 2026-11-22, 10:00 UTC. */
const START = Date.parse("2026-11-22T10:00:00Z");
const DAY = 24 * 3_600_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
});

afterEach(() => {
  vi.useRealTimers();
});

async function setup() {
  const { t, team } = await backendWithTeam();
  return { t, ...team };
}

async function templateId(t: Backend, slug: string): Promise<Id<"runbookTemplates">> {
  return await t.run(
    async (ctx) =>
      (await ctx.db
        .query("runbookTemplates")
        .withIndex("by_slug", (q) => q.eq("slug", slug))
        .unique())!._id,
  );
}

async function board(client: Pick<Backend, "query">, now = Date.now()) {
  return await client.query(api.runbooks.runbooks.board, { now });
}

function currentRun(result: Awaited<ReturnType<typeof board>>, slug: string) {
  const entry = result.current.find((row) => row.template.slug === slug);
  if (!entry?.run) throw new Error(`no current run for ${slug}`);
  return entry.run;
}

describe("lazy run creation", () => {
  test("two first views at the same moment seed the templates once and create one run per period", async () => {
    const { t, viewer, operator } = await setup();
    const before = await board(viewer.client);
    expect(before).toMatchObject({ needsSeed: true, current: [] });

    const results = await Promise.all([
      viewer.client.mutation(api.runbooks.runs.ensureCurrent, {}),
      operator.client.mutation(api.runbooks.runs.ensureCurrent, {}),
    ]);
    expect(results.map((result) => result.created).sort()).toEqual([0, 5]);

    const counts = await t.run(async (ctx) => ({
      templates: (await ctx.db.query("runbookTemplates").collect()).length,
      runs: (await ctx.db.query("runbookRuns").collect()).map((run) => run.periodKey).sort(),
      seedAudits: (
        await ctx.db
          .query("audit")
          .withIndex("by_action", (q) => q.eq("action", "runbook.templates_seeded"))
          .collect()
      ).length,
    }));
    expect(counts).toEqual({
      templates: 11,
      runs: ["2026-11", "2026-11-22", "2026-11-22", "2026-Q4", "2026-W47"],
      seedAudits: 1,
    });

    const after = await board(viewer.client);
    expect(after.missingRuns).toBe(0);
    expect(after.current.map((row) => [row.template.title, row.run?.periodKey])).toEqual([
      ["Daily maintenance", "2026-11-22"],
      ["Monitoring checklist", "2026-11-22"],
      ["Weekly maintenance", "2026-W47"],
      ["Monthly maintenance", "2026-11"],
      ["Quarterly maintenance", "2026-Q4"],
    ]);
    expect(after.onDemandTemplates.map((row) => row.slug)).toEqual([
      "complete-outage",
      "data-loss",
      "security-incident",
      "production-launch",
      "debug-checklist",
      "deployment-checklist",
    ]);
    // A later view creates nothing.
    expect(await viewer.client.mutation(api.runbooks.runs.ensureCurrent, {})).toEqual({ created: 0 });
  });

  test("periods follow the team's time zone, which only an admin changes", async () => {
    const { t, admin, operator } = await setup();
    expect(
      await rejectionCode(
        admin.client.mutation(api.settings.settings.setTimeZone, { timeZone: "Mars/Olympus" }),
      ),
    ).toBe("VALIDATION_ERROR");
    // 10:00 UTC on the 22nd is 23:00 on the 22nd in Auckland (UTC+13).
    vi.setSystemTime(Date.parse("2026-11-22T11:30:00Z"));
    await admin.client.mutation(api.settings.settings.setTimeZone, { timeZone: "Pacific/Auckland" });
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const result = await board(operator.client);
    expect(result.timeZone).toBe("Pacific/Auckland");
    expect(currentRun(result, "daily-maintenance").periodKey).toBe("2026-11-23");
    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("audit")
        .withIndex("by_action", (q) => q.eq("action", "runbook.timezone_changed"))
        .first(),
    );
    expect(audit?.details).toEqual({ from: "UTC", to: "Pacific/Auckland" });
  });
});

describe("ticking", () => {
  test("two operators ticking different items of one run at the same moment both persist", async () => {
    const { admin, operator, viewer } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const run = currentRun(await board(viewer.client), "daily-maintenance");
    await Promise.all([
      operator.client.mutation(api.runbooks.runs.tick, {
        runId: run._id,
        itemKey: "check-error-rates",
        note: "0.2%, fine",
      }),
      admin.client.mutation(api.runbooks.runs.tick, {
        runId: run._id,
        itemKey: "review-logs",
        evidenceUrl: "https://logs.example.com/q/1",
      }),
    ]);
    const after = currentRun(await board(viewer.client), "daily-maintenance");
    expect(
      after.items.map((item) => [item.key, item.tick?.ticked ?? false, item.tick?.byEmail ?? null]),
    ).toEqual([
      ["check-error-rates", true, "operator@example.com"],
      ["review-logs", true, "admin@example.com"],
      ["monitor-performance", false, null],
      ["check-dashboard", false, null],
    ]);
    expect(after.items[0]!.tick!.note).toBe("0.2%, fine");
    expect(after.items[1]!.tick!.evidenceUrl).toBe("https://logs.example.com/q/1");
    expect(after.progress).toMatchObject({ ticked: 2, total: 4, percent: 50, state: "open", overdue: false });
  });

  test("unticking keeps the earlier tick in the item's history, and both are audited", async () => {
    const { t, admin, operator } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const run = currentRun(await board(operator.client), "weekly-maintenance");
    await operator.client.mutation(api.runbooks.runs.tick, {
      runId: run._id,
      itemKey: "security-logs",
      note: "ok",
    });
    expect(
      await rejectionCode(
        admin.client.mutation(api.runbooks.runs.tick, { runId: run._id, itemKey: "security-logs" }),
      ),
    ).toBe("CONFLICT");
    vi.setSystemTime(START + 60_000);
    await admin.client.mutation(api.runbooks.runs.untick, { runId: run._id, itemKey: "security-logs" });
    const item = currentRun(await board(operator.client), "weekly-maintenance").items[0]!;
    expect(item.tick).toMatchObject({ ticked: false, byEmail: "admin@example.com", note: null });
    expect(item.tick!.history).toEqual([
      { action: "ticked", byEmail: "operator@example.com", at: START, note: "ok" },
      { action: "unticked", byEmail: "admin@example.com", at: START + 60_000, note: null },
    ]);
    const actions = await t.run(async (ctx) =>
      (await ctx.db.query("audit").withIndex("by_at").collect())
        .filter((row) => row.action.startsWith("runbook.item"))
        .map((row) => [row.action, row.actorEmail]),
    );
    expect(actions).toEqual([
      ["runbook.item_ticked", "operator@example.com"],
      ["runbook.item_unticked", "admin@example.com"],
    ]);
    // The trail names the item as people read it, never by its slug.
    const ticked = await admin.client.query(api.audit.audit.list, {
      action: "runbook.item_ticked",
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(ticked.page[0]!.target).toBe(`${run.title}: ${item.text}`);
    expect(JSON.stringify(ticked.page[0]!.details)).not.toContain("security-logs");
  });

  test("notes and evidence links are checked, unknown items refused", async () => {
    const { operator } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const run = currentRun(await board(operator.client), "daily-maintenance");
    expect(
      await rejectionCode(
        operator.client.mutation(api.runbooks.runs.tick, {
          runId: run._id,
          itemKey: "review-logs",
          evidenceUrl: "javascript:alert(1)",
        }),
      ),
    ).toBe("VALIDATION_ERROR");
    expect(
      await rejectionCode(
        operator.client.mutation(api.runbooks.runs.tick, { runId: run._id, itemKey: "nope" }),
      ),
    ).toBe("NOT_FOUND");
  });
});

describe("overdue runs", () => {
  test("a period that ends with unticked items stays in the history as overdue and takes no more ticks", async () => {
    const { t, operator, viewer } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const dailyId = await templateId(t, "daily-maintenance");
    const run = currentRun(await board(viewer.client), "daily-maintenance");
    await operator.client.mutation(api.runbooks.runs.tick, { runId: run._id, itemKey: "check-dashboard" });

    const endOfDay = Date.parse("2026-11-23T00:00:00Z");
    const before = await viewer.client.query(api.runbooks.runbooks.history, {
      templateId: dailyId,
      now: endOfDay - 1,
    });
    expect(before.strip[0]).toMatchObject({ key: "2026-11-22", state: "open", ticked: 1, total: 4 });

    vi.setSystemTime(endOfDay + 5 * 60_000);
    // The cron starts the new day's run although nobody opened the page.
    await t.mutation(internal.runbooks.cron.startPeriods, {});
    const after = await viewer.client.query(api.runbooks.runbooks.history, {
      templateId: dailyId,
      now: Date.now(),
    });
    // The history starts with the console: no "No run" days from before the runbook existed.
    expect(after.strip).toMatchObject([
      { key: "2026-11-23", state: "open", ticked: 0, total: 4 },
      { key: "2026-11-22", state: "overdue", ticked: 1, total: 4 },
    ]);
    expect(after.strip).toHaveLength(2);
    const overdueRun = after.runs.find((row) => row.periodKey === "2026-11-22")!;
    expect(overdueRun.ticks.map((tick) => [tick.itemText, tick.byEmail])).toEqual([
      ["Check Convex dashboard", "operator@example.com"],
    ]);
    expect(overdueRun.untickedItems).toHaveLength(3);
    expect(
      await rejectionCode(
        operator.client.mutation(api.runbooks.runs.tick, { runId: run._id, itemKey: "review-logs" }),
      ),
    ).toBe("CONFLICT");

    const next = await board(viewer.client);
    expect(next.current[0]).toMatchObject({
      period: { key: "2026-11-23" },
      previous: { key: "2026-11-22", state: "overdue", ticked: 1, total: 4 },
    });

    const summary = await viewer.client.query(api.runbooks.runbooks.summary, { now: Date.now() });
    // The daily and monitoring checklists of the 22nd, and ISO week 47, which ended the same midnight.
    expect(summary.overdueRuns).toBe(3);
    expect(summary.current[0]).toMatchObject({
      title: "Daily maintenance",
      periodKey: "2026-11-23",
      ticked: 0,
      total: 4,
    });
  });

  test("a complete run is never overdue", async () => {
    const { t, operator } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const run = currentRun(await board(operator.client), "quarterly-maintenance");
    for (const item of run.items) {
      await operator.client.mutation(api.runbooks.runs.tick, { runId: run._id, itemKey: item.key });
    }
    const history = await operator.client.query(api.runbooks.runbooks.history, {
      templateId: await templateId(t, "quarterly-maintenance"),
      now: Date.parse("2027-01-02T00:00:00Z"),
    });
    expect(history.strip.slice(0, 2)).toMatchObject([
      { key: "2027-Q1", state: "no_run" },
      { key: "2026-Q4", state: "complete", ticked: 4, total: 4 },
    ]);
  });
});

type EditorItem = {
  key: string;
  text: string;
  help: string | null;
  link: string | null;
  evidence: "error_rate" | "p95_latency" | "log_stream" | "backup_verification" | "usage_forecast" | null;
};

function draft(item: EditorItem, text = item.text) {
  return {
    key: item.key,
    text,
    help: item.help ?? undefined,
    link: item.link ?? undefined,
    evidence: item.evidence ?? undefined,
  };
}

describe("on-demand runbooks and template versions", () => {
  test("editing a template writes a new version; runs started before keep their wording", async () => {
    const { t, admin, operator, viewer } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const outageId = await templateId(t, "complete-outage");
    const oldRunId = await operator.client.mutation(api.runbooks.runs.start, {
      templateId: outageId,
      title: "API down 2026-11-22",
    });
    const before = await viewer.client.query(api.runbooks.runbooks.template, { templateId: outageId });
    const [first, second, third, ...rest] = before.items;
    // Reword the second item and move it first, retire the third, add one at the end.
    const version = await admin.client.mutation(api.runbooks.templates.saveVersion, {
      templateId: outageId,
      expectedVersion: 1,
      title: before.title,
      description: before.description,
      items: [
        draft(second!, "Check the platform's status page and Convex status"),
        draft(first!),
        ...rest.map((item) => draft(item)),
        { text: "Write the post-mortem", link: "https://wiki.example.com/postmortems" },
      ],
    });
    expect(version).toBe(2);
    expect(
      await rejectionCode(
        admin.client.mutation(api.runbooks.templates.saveVersion, {
          templateId: outageId,
          expectedVersion: 1,
          title: before.title,
          description: before.description,
          items: [{ text: "stale edit" }],
        }),
      ),
    ).toBe("CONFLICT");

    const newRunId = await operator.client.mutation(api.runbooks.runs.start, {
      templateId: outageId,
      title: "API down again",
    });
    const open = await board(viewer.client);
    const oldRun = open.openRuns.find((run) => run._id === oldRunId)!;
    const newRun = open.openRuns.find((run) => run._id === newRunId)!;
    expect(oldRun.version).toBe(1);
    expect(oldRun.items.map((item) => item.text).slice(0, 3)).toEqual([
      first!.text,
      second!.text,
      third!.text,
    ]);
    expect(newRun.version).toBe(2);
    expect(newRun.items[0]).toMatchObject({
      key: second!.key,
      text: "Check the platform's status page and Convex status",
    });
    expect(newRun.items.map((item) => item.key)).not.toContain(third!.key);
    expect(newRun.items.at(-1)).toMatchObject({
      text: "Write the post-mortem",
      link: "https://wiki.example.com/postmortems",
    });

    const audit = await t.run(async (ctx) =>
      ctx.db
        .query("audit")
        .withIndex("by_action", (q) => q.eq("action", "runbook.template_edited"))
        .first(),
    );
    expect(audit?.details).toEqual({ version: 2, added: 1, retired: 1, reworded: 1, reordered: true });
  });

  test("closing an on-demand run with unticked items keeps it in the history as closed incomplete", async () => {
    const { t, operator, viewer } = await setup();
    await operator.client.mutation(api.runbooks.runs.ensureCurrent, {});
    const incidentId = await templateId(t, "security-incident");
    expect(
      await rejectionCode(
        viewer.client.mutation(api.runbooks.runs.start, { templateId: incidentId, title: "Leaked key" }),
      ),
    ).toBe("UNAUTHORIZED");
    expect(
      await rejectionCode(
        operator.client.mutation(api.runbooks.runs.start, { templateId: incidentId, title: "  " }),
      ),
    ).toBe("VALIDATION_ERROR");
    const runId = await operator.client.mutation(api.runbooks.runs.start, {
      templateId: incidentId,
      title: "Leaked key",
    });
    await operator.client.mutation(api.runbooks.runs.tick, { runId, itemKey: "revoke-secrets" });
    expect(
      await rejectionCode(viewer.client.mutation(api.runbooks.runs.tick, { runId, itemKey: "isolate" })),
    ).toBe("UNAUTHORIZED");
    await operator.client.mutation(api.runbooks.runs.close, { runId });
    expect(await rejectionCode(operator.client.mutation(api.runbooks.runs.close, { runId }))).toBe(
      "CONFLICT",
    );
    expect(
      await rejectionCode(operator.client.mutation(api.runbooks.runs.tick, { runId, itemKey: "isolate" })),
    ).toBe("CONFLICT");
    expect((await board(viewer.client)).openRuns).toEqual([]);
    const history = await viewer.client.query(api.runbooks.runbooks.history, {
      templateId: incidentId,
      now: Date.now(),
    });
    expect(history.strip).toMatchObject([
      { key: "Leaked key", state: "closed_incomplete", ticked: 1, total: 12 },
    ]);
    expect(history.runs[0]).toMatchObject({ closedBy: "operator@example.com" });
    const closed = await t.run(async (ctx) =>
      ctx.db
        .query("audit")
        .withIndex("by_action", (q) => q.eq("action", "runbook.run_closed"))
        .first(),
    );
    expect(closed?.details).toMatchObject({ ticked: 1, total: 12 });
  });
});

describe("evidence", () => {
  test("error rate and p95 come from the last hour's rollups of the most recently active deployment", async () => {
    const { t, viewer, admin } = await setup();
    const empty = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START });
    expect(empty.error_rate).toMatchObject({ state: "none", deployment: null, value: null });
    expect(empty.backup_verification).toMatchObject({ state: "none", deployment: null });

    await t.run(async (ctx) => {
      const stream = {
        type: "prod",
        projectSlug: null,
        firstEventAt: START - DAY,
        lastVerificationAt: null,
        eventsAccepted: 1,
        duplicates: 0,
        replaysRejected: 0,
        unknownTopics: 0,
      };
      await ctx.db.insert("watchedDeployments", { ...stream, name: "old-app", lastEventAt: START - DAY });
      await ctx.db.insert("watchedDeployments", { ...stream, name: "prod-app", lastEventAt: START - 60_000 });
      const minute = Math.floor((START - 10 * 60_000) / 60_000) * 60_000;
      await ctx.db.insert("rollups", {
        ...emptyTotals(),
        deployment: "prod-app",
        granularity: "minute",
        bucket: minute,
        functionPath: ALL_FUNCTIONS,
        functionType: "all",
        calls: 50,
        failures: 1,
        failuresByCode: { INTERNAL: 1 },
        durationSumMs: 50 * 700,
        maxDurationMs: 700,
        histogram: addToHistogram([], 700, 50),
      });
      // Older than an hour: not counted.
      await ctx.db.insert("rollups", {
        ...emptyTotals(),
        deployment: "prod-app",
        granularity: "minute",
        bucket: minute - 2 * 3_600_000,
        functionPath: ALL_FUNCTIONS,
        functionType: "all",
        calls: 1000,
        failures: 0,
      });
    });
    const evidence = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START });
    expect(evidence.error_rate).toMatchObject({
      state: "alert",
      deployment: "prod-app",
      value: 0.02,
      threshold: 0.01,
    });
    expect(evidence.p95_latency).toMatchObject({ state: "alert", threshold: 500 });
    expect(evidence.log_stream).toMatchObject({ state: "ok", deployment: "prod-app", value: START - 60_000 });
    const later = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START + 30 * 60_000 });
    expect(later.log_stream.state).toBe("alert");

    // Thresholds are the alert rules': an admin's edit moves the evidence too (one rule, one place).
    await t.mutation(internal.alerts.evaluate.evaluate, { now: START }); // seeds the rules
    for (const [key, threshold] of [
      ["error-rate", 0.05],
      ["p95-latency", 1000],
    ] as const) {
      const rule = await t.run(async (ctx) =>
        ctx.db
          .query("alertRules")
          .withIndex("by_key", (q) => q.eq("key", key))
          .unique(),
      );
      await admin.client.mutation(api.alerts.alerts.updateRule, {
        key,
        threshold,
        recoveryThreshold: threshold,
        pendingMs: rule!.pendingMs,
        keepFiringMs: rule!.keepFiringMs,
        severity: rule!.severity,
        enabled: true,
      });
    }
    const relaxed = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START });
    expect([relaxed.error_rate.state, relaxed.p95_latency.state]).toEqual(["ok", "ok"]);
    expect(relaxed.error_rate.threshold).toBe(0.05);
    const tiles = await viewer.client.query(api.alerts.alerts.tiles, { deployment: "prod-app" });
    expect(tiles.error_rate.rule?.threshold).toBe(0.05);
  });
});

describe("backup evidence", () => {
  test("both backup items show the newest verified backup against the RPO target an admin set", async () => {
    const { t, viewer, admin } = await setup();
    await viewer.client.mutation(api.runbooks.runs.ensureCurrent, {});
    for (const [slug, key] of [
      ["monitoring", "backups-successful"],
      ["weekly-maintenance", "backup-verification"],
    ] as const) {
      const template = await viewer.client.query(api.runbooks.runbooks.template, {
        templateId: await templateId(t, slug),
      });
      expect(template.items.find((item) => item.key === key)?.evidence).toBe("backup_verification");
    }

    await admin.client.mutation(api.backups.backups.setPolicy, {
      keepLast: 7,
      daily: 7,
      weekly: 4,
      monthly: 3,
      rpoTargetMinutes: 120,
    });
    const verifiedAt = START - 30 * 60_000;
    await t.run(async (ctx) => {
      const backup = {
        kind: "manual" as const,
        requestedBy: "operator@example.com",
        includeStorage: false,
        deployment: "happy-otter-123",
        deploymentUrl: "https://happy-otter-123.convex.cloud",
        pinned: false,
      };
      await ctx.db.insert("backups", {
        ...backup,
        status: { state: "verified" },
        requestedAt: verifiedAt,
        takenAt: verifiedAt,
        restorableTakenAt: verifiedAt,
      });
      // Newer, but neither restorable one may stand as evidence.
      await ctx.db.insert("backups", {
        ...backup,
        status: { state: "unverifiable", reason: "users/documents.jsonl line 3 is not JSON" },
        requestedAt: START - 10 * 60_000,
        takenAt: START - 10 * 60_000,
      });
      await ctx.db.insert("backups", {
        ...backup,
        status: { state: "failed", step: "export", reason: "The key was refused.", remedy: "Rotate it." },
        requestedAt: START - 5 * 60_000,
      });
    });

    const fresh = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START });
    expect(fresh.backup_verification).toEqual({
      source: "backup_verification",
      state: "ok",
      deployment: null,
      value: verifiedAt,
      threshold: 120 * 60_000,
    });
    const stale = await viewer.client.query(api.runbooks.runbooks.evidence, { now: START + 2 * 3_600_000 });
    expect(stale.backup_verification).toMatchObject({ state: "alert", value: verifiedAt });
  });
});
