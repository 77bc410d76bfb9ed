/**
 * The access matrix: every public function, the least role that may call it, and a call that
 * succeeds for that role. Public functions are discovered from the modules themselves, so adding
 * one without a row here fails the first test.
 */
import { ConvexError } from "convex/values";
import { describe, expect, test, vi } from "vitest";
import { api, internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import { searchRuleDefinition } from "./alerts/model/searchRules";
import { backupName } from "./backups/shared";
import { ACCESS_TAG, type Access } from "./lib/functions";
import { ROLES } from "./lib/roles";
import { modules, newBackend, TEST_SITE_URL, type Backend } from "./test.helpers";
import { storeConnection } from "./deployment/connection.helpers";

type Caller = Pick<Backend, "query" | "mutation" | "action">;
type Row = {
  access: Access;
  /** `callerId` is the signed-in caller, or the admin for anonymous calls, so rows can set up owned data. */
  call: (caller: Caller, t: Backend, callerId: Id<"users">) => Promise<unknown>;
};

async function insertTask(t: Backend, userId: Id<"users">) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("tasks", { text: "t", completed: false, userId, priority: "low", createdAt: 0 }),
  );
}

async function insertUser(t: Backend, email: string) {
  return await t.run(async (ctx) => await ctx.db.insert("users", { email, role: "viewer" }));
}

const firstPage = { numItems: 10, cursor: null };

/** Seeds the runbook templates and returns one template by slug. */
async function runbookTemplate(t: Backend, slug: string) {
  await t.mutation(internal.runbooks.cron.startPeriods, {});
  return await t.run(
    async (ctx) =>
      (await ctx.db
        .query("runbookTemplates")
        .withIndex("by_slug", (q) => q.eq("slug", slug))
        .unique())!,
  );
}

/** A fresh open on-demand run, so each caller ticks, unticks or closes its own. */
async function openOutageRun(t: Backend, tickedItem?: string) {
  const template = await runbookTemplate(t, "complete-outage");
  return await t.run(async (ctx) => {
    const version = (await ctx.db
      .query("runbookTemplateVersions")
      .withIndex("by_template_version", (q) => q.eq("templateId", template._id))
      .first())!;
    const runId = await ctx.db.insert("runbookRuns", {
      templateId: template._id,
      versionId: version._id,
      cadence: "on_demand",
      periodKey: `started-${Math.random()}`,
      periodStart: Date.now(),
      periodEnd: null,
      timeZone: "UTC",
      title: "matrix outage",
      status: "open",
      itemCount: version.items.length,
      startedAt: Date.now(),
      startedBy: "admin@example.com",
    });
    if (tickedItem !== undefined) {
      await ctx.db.insert("runbookTicks", {
        runId,
        itemKey: tickedItem,
        ticked: true,
        byEmail: "admin@example.com",
        at: Date.now(),
        history: [],
      });
    }
    return runId;
  });
}

function lastHour() {
  const to = Date.now();
  return { from: to - 3_600_000, to };
}

const MATRIX_DEPLOYMENT = "https://matrix-deployment-1.convex.cloud";

/**
 * Connects a deployment that refuses every call at once, so the work a row schedules ends quickly
 * (as a failed step) without leaving the test process.
 */
async function connectRefusingDeployment(t: Backend) {
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", (async (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).startsWith("https://")
      ? new Response(JSON.stringify({ code: "BadAdminKey", message: "refused" }), { status: 401 })
      : realFetch(input, init)) as typeof fetch);
  if ((await t.run(async (ctx) => await ctx.db.query("deploymentConnection").first())) !== null) return;
  await storeConnection(t, MATRIX_DEPLOYMENT, "prod:matrix|0123456789abcdef0123", "matrix");
}

/** An import of the caller's own in a given state, so each caller acts on a fresh one. */
async function insertImport(
  t: Backend,
  callerId: Id<"users">,
  status: Doc<"imports">["status"],
  sizeBytes = 3,
) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("imports", {
        fileName: "tasks.jsonl",
        sizeBytes,
        format: "jsonLines",
        targetTable: "tasks",
        deployment: "matrix",
        status,
        requestedBy: "matrix@example.com",
        requestedById: callerId,
        requestedAt: Date.now(),
        partCount: 0,
        preview: {
          rows: 1,
          validRows: 1,
          fields: [],
          firstRows: [],
          invalidLines: [],
          invalidCount: 0,
          warnings: [],
          tables: [],
          rejected: null,
        },
      }),
  );
}

/** A backup in a given state of its own, so each caller acts on a fresh one. */
async function insertBackup(t: Backend, status: Doc<"backups">["status"]) {
  return await t.run(async (ctx) => {
    const storageId = await ctx.storage.store(new Blob(["zip"]));
    const backupId = await ctx.db.insert("backups", {
      kind: "manual",
      status,
      requestedAt: Date.now() - Math.floor(Math.random() * 1e9),
      requestedBy: "operator@example.com",
      includeStorage: false,
      deployment: "matrix-deployment-1",
      deploymentUrl: MATRIX_DEPLOYMENT,
      storageId,
      pinned: false,
    });
    return (await ctx.db.get("backups", backupId))!;
  });
}

/** A restore waiting for an admin's decision on Convex's summary, fresh for each caller. */
async function insertWaitingRestore(t: Backend) {
  const backup = await insertBackup(t, { state: "verified" });
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("restores", {
        backupId: backup._id,
        backupName: backupName(backup),
        deployment: "matrix-deployment-1",
        mode: "replaceAll",
        tables: ["tasks"],
        leftOut: [],
        filtered: false,
        status: { state: "waiting_for_confirmation" },
        requestedBy: "admin@example.com",
        requestedAt: Date.now(),
        importId: "matrix-import",
        messageToConfirm: "Import change summary:",
      }),
  );
}

/** No backup left running, so Backup now may start one. */
async function finishRunningBackups(t: Backend) {
  await t.run(async (ctx) => {
    for (const backup of await ctx.db.query("backups").collect()) {
      await ctx.db.patch("backups", backup._id, { status: { state: "canceled" } });
    }
  });
}

/** A firing alert instance to acknowledge. */
async function insertFiringAlert(t: Backend) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("alertInstances", {
        ruleKey: "error-rate",
        ruleVersion: 1,
        instanceKey: "prod",
        deployment: "prod",
        functionPath: null,
        state: "firing",
        since: 0,
        firingSince: 0,
        lastValue: 0.05,
        reason: "error rate 5 % > 1 %",
        severity: "critical",
        acknowledged: null,
        lastNotifiedAt: 0,
        repeats: 0,
        silencedBy: null,
        updatedAt: 0,
      }),
  );
}

async function insertAlertChannel(t: Backend) {
  return await t.run(
    async (ctx) =>
      await ctx.db.insert("alertChannels", {
        name: `matrix-${Math.random()}`,
        kind: "slack",
        url: "sealed",
        urlMasked: "https://hooks.slack.com/••••abcd",
        secret: null,
        secretMasked: null,
        enabled: true,
        leaseUntil: 0,
        updatedAt: 0,
        updatedBy: "admin@example.com",
      }),
  );
}

const matrix: Record<string, Row> = {
  "alerts/alerts:overview": { access: "viewer", call: (c) => c.query(api.alerts.alerts.overview, {}) },
  "alerts/alerts:rules": { access: "viewer", call: (c) => c.query(api.alerts.alerts.rules, {}) },
  "alerts/alerts:tiles": {
    access: "viewer",
    call: (c) => c.query(api.alerts.alerts.tiles, { deployment: "prod-app" }),
  },
  "alerts/searchRules:createFromSearch": {
    access: "admin",
    call: (c) =>
      c.mutation(api.alerts.searchRules.createFromSearch, {
        query: "level:error",
        windowMinutes: 5,
        threshold: 3,
        severity: "warning",
      }),
  },
  "alerts/alerts:consoleTiles": {
    access: "viewer",
    call: (c) => c.query(api.alerts.alerts.consoleTiles, {}),
  },
  "alerts/alerts:silences": {
    access: "viewer",
    call: (c) => c.query(api.alerts.alerts.silences, { now: Date.now() }),
  },
  "alerts/alerts:channels": { access: "viewer", call: (c) => c.query(api.alerts.alerts.channels, {}) },
  "alerts/alerts:deliveryLog": { access: "viewer", call: (c) => c.query(api.alerts.alerts.deliveryLog, {}) },
  "alerts/alerts:policy": { access: "viewer", call: (c) => c.query(api.alerts.alerts.policy, {}) },
  "alerts/alerts:evidence": {
    access: "viewer",
    call: async (c, t) => c.query(api.alerts.alerts.evidence, { instanceId: await insertFiringAlert(t) }),
  },
  "alerts/alerts:acknowledge": {
    access: "operator",
    call: async (c, t) =>
      c.mutation(api.alerts.alerts.acknowledge, { instanceId: await insertFiringAlert(t), note: "looking" }),
  },
  "alerts/alerts:addSilence": {
    access: "operator",
    call: (c) =>
      c.mutation(api.alerts.alerts.addSilence, {
        matchers: { rule: "error-rate" },
        startsAt: Date.now(),
        endsAt: Date.now() + 600_000,
        comment: "deploying",
      }),
  },
  "alerts/alerts:expireSilence": {
    access: "operator",
    call: async (c, t) =>
      c.mutation(api.alerts.alerts.expireSilence, {
        silenceId: await t.run(
          async (ctx) =>
            await ctx.db.insert("alertSilences", {
              matchers: { rule: "error-rate" },
              startsAt: 0,
              endsAt: Date.now() + 600_000,
              comment: "c",
              createdBy: "operator@example.com",
              createdAt: 0,
            }),
        ),
      }),
  },
  "alerts/alerts:updateRule": {
    access: "admin",
    call: async (c, t) => {
      await t.mutation(internal.alerts.evaluate.evaluate, {});
      return c.mutation(api.alerts.alerts.updateRule, {
        key: "p95-latency",
        threshold: 600,
        recoveryThreshold: 500,
        pendingMs: 60_000,
        keepFiringMs: 0,
        severity: "warning",
        enabled: true,
      });
    },
  },
  "alerts/alerts:setPolicy": {
    access: "admin",
    call: (c) =>
      c.mutation(api.alerts.alerts.setPolicy, {
        groupWaitMs: 30_000,
        groupIntervalMs: 300_000,
        repeatIntervalMs: 14_400_000,
      }),
  },
  "alerts/alerts:addChannel": {
    access: "admin",
    call: (c) =>
      c.mutation(api.alerts.alerts.addChannel, {
        name: `slack ${Math.floor(Math.random() * 1e9)}`,
        kind: "slack",
        url: "https://hooks.slack.com/services/T/B/token",
      }),
  },
  "alerts/alerts:updateChannel": {
    access: "admin",
    call: async (c, t) =>
      c.mutation(api.alerts.alerts.updateChannel, { channelId: await insertAlertChannel(t), enabled: false }),
  },
  "alerts/searchRules:deleteSearchRule": {
    access: "admin",
    call: async (c, t) =>
      c.mutation(api.alerts.searchRules.deleteSearchRule, {
        key: await t.run(async (ctx) => {
          const key = `search-${crypto.randomUUID().slice(0, 12)}`;
          await ctx.db.insert("alertRules", {
            ...searchRuleDefinition(key, {
              query: "level:error",
              windowMinutes: 5,
              threshold: 3,
              severity: "warning",
            }),
            version: 1,
            updatedAt: 0,
            updatedBy: "matrix@example.com",
          });
          return key;
        }),
      }),
  },
  "alerts/alerts:removeChannel": {
    access: "admin",
    call: async (c, t) =>
      c.mutation(api.alerts.alerts.removeChannel, { channelId: await insertAlertChannel(t) }),
  },
  "alerts/alerts:sendTest": {
    access: "admin",
    call: async (c, t) => c.mutation(api.alerts.alerts.sendTest, { channelId: await insertAlertChannel(t) }),
  },
  "deployment/connection:status": {
    access: "viewer",
    call: (c) => c.query(api.deployment.connection.status, {}),
  },
  "deployment/connection:setConnection": {
    access: "admin",
    call: (c) =>
      c.mutation(api.deployment.connection.setConnection, {
        url: MATRIX_DEPLOYMENT,
        deployKey: "prod:matrix|0123456789abcdef0123",
      }),
  },
  "deployment/connection:disconnect": {
    access: "admin",
    call: (c) => c.mutation(api.deployment.connection.disconnect, {}),
  },
  "deployment/connection:testConnection": {
    access: "admin",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      return c.mutation(api.deployment.connection.testConnection, {});
    },
  },
  "backups/backups:list": { access: "viewer", call: (c) => c.query(api.backups.backups.list, {}) },
  "backups/backups:rpo": { access: "viewer", call: (c) => c.query(api.backups.backups.rpo, {}) },
  "backups/backups:settings": { access: "viewer", call: (c) => c.query(api.backups.backups.settings, {}) },
  "backups/backups:backupNow": {
    access: "operator",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      await finishRunningBackups(t);
      return c.mutation(api.backups.backups.backupNow, { includeStorage: false });
    },
  },
  "backups/backups:cancel": {
    access: "operator",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      const backup = await insertBackup(t, { state: "exporting", progressMessage: null });
      return c.mutation(api.backups.backups.cancel, { backupId: backup._id });
    },
  },
  "backups/backups:verify": {
    access: "operator",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      const backup = await insertBackup(t, { state: "verified" });
      return c.mutation(api.backups.backups.verify, { backupId: backup._id });
    },
  },
  "backups/backups:downloadLink": {
    access: "admin",
    call: async (c, t) => {
      const backup = await insertBackup(t, { state: "verified" });
      return c.mutation(api.backups.backups.downloadLink, { backupId: backup._id });
    },
  },
  "backups/backups:setPinned": {
    access: "admin",
    call: async (c, t) => {
      const backup = await insertBackup(t, { state: "verified" });
      return c.mutation(api.backups.backups.setPinned, { backupId: backup._id, pinned: true });
    },
  },
  "backups/backups:remove": {
    access: "admin",
    call: async (c, t) => {
      const backup = await insertBackup(t, { state: "verified" });
      return c.mutation(api.backups.backups.remove, {
        backupId: backup._id,
        confirmation: backupName(backup),
      });
    },
  },
  "backups/restore:list": { access: "viewer", call: (c) => c.query(api.backups.restore.list, {}) },
  "backups/restore:restore": {
    access: "admin",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      await finishRunningBackups(t);
      await t.run(async (ctx) => {
        for (const row of await ctx.db.query("restores").collect()) {
          await ctx.db.patch("restores", row._id, {
            status: { state: "failed", step: "matrix", reason: "" },
          });
        }
      });
      const backup = await insertBackup(t, { state: "verified" });
      await t.run(async (ctx) =>
        ctx.db.patch("backups", backup._id, { tables: [{ component: "", table: "tasks", rows: 1 }] }),
      );
      return c.mutation(api.backups.restore.restore, {
        backupId: backup._id,
        confirmation: "matrix-deployment-1",
        mode: "replaceAll",
      });
    },
  },
  "backups/restore:performImport": {
    access: "admin",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      return c.mutation(api.backups.restore.performImport, { restoreId: await insertWaitingRestore(t) });
    },
  },
  "backups/restore:cancelImport": {
    access: "admin",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      return c.mutation(api.backups.restore.cancelImport, { restoreId: await insertWaitingRestore(t) });
    },
  },
  "backups/restore:rowsNow": { access: "admin", call: (c) => c.query(api.backups.restore.rowsNow, {}) },
  "backups/backups:setSchedule": {
    access: "admin",
    call: (c) =>
      c.mutation(api.backups.backups.setSchedule, {
        schedule: { cadence: "weekly", time: "02:30", weekday: 7, includeStorage: false },
      }),
  },
  "backups/backups:setPolicy": {
    access: "admin",
    call: (c) =>
      c.mutation(api.backups.backups.setPolicy, {
        keepLast: 3,
        daily: 7,
        weekly: 4,
        monthly: 3,
        rpoTargetMinutes: 60,
      }),
  },
  "users/users:bootstrapStatus": {
    access: "anonymous",
    call: (c) => c.query(api.users.users.bootstrapStatus, {}),
  },
  "users/users:me": { access: "viewer", call: (c) => c.query(api.users.users.me, {}) },
  "audit/audit:list": {
    access: "viewer",
    call: (c) => c.query(api.audit.audit.list, { paginationOpts: firstPage }),
  },
  "users/users:list": { access: "admin", call: (c) => c.query(api.users.users.list, {}) },
  "users/users:setRole": {
    access: "admin",
    call: async (c, t) =>
      c.mutation(api.users.users.setRole, {
        userId: await insertUser(t, "target@example.com"),
        role: "operator",
      }),
  },
  "users/users:remove": {
    access: "admin",
    call: async (c, t) =>
      c.mutation(api.users.users.remove, { userId: await insertUser(t, "target@example.com") }),
  },
  "users/users:clearLock": {
    access: "admin",
    call: async (c, t) => {
      const userId = await insertUser(t, `locked-${Math.random()}@example.com`);
      await t.run(async (ctx) => {
        const accountId = await ctx.db.insert("authAccounts", {
          userId,
          provider: "password",
          providerAccountId: `locked-${userId}`,
        });
        await ctx.db.insert("authRateLimits", {
          identifier: accountId,
          attemptsLeft: 0,
          lastAttemptTime: Date.now(),
        });
      });
      return c.mutation(api.users.users.clearLock, { userId });
    },
  },
  "users/invites:linkStatus": {
    access: "anonymous",
    call: (c) => c.query(api.users.invites.linkStatus, { token: "no-such-token" }),
  },
  "users/invites:listPending": { access: "admin", call: (c) => c.query(api.users.invites.listPending, {}) },
  "users/invites:create": {
    access: "admin",
    call: (c) => c.mutation(api.users.invites.create, { email: "invitee@example.com", role: "viewer" }),
  },
  "metrics/metrics:deployments": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.deployments, {}),
  },
  "metrics/metrics:overview": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.overview, { deployment: "prod", now: Date.now() }),
  },
  "functions/functions:functionPage": {
    access: "viewer",
    call: (c) =>
      c.query(api.functions.functions.functionPage, {
        deployment: "prod",
        functionPath: "tasks:list",
        range: "1h",
        now: Date.now(),
      }),
  },
  "functions/functions:deploys": {
    access: "viewer",
    call: (c) => c.query(api.functions.functions.deploys, { deployment: "prod", now: Date.now() }),
  },
  "functions/functions:deploy": {
    access: "viewer",
    call: (c) => c.query(api.functions.functions.deploy, { deployment: "prod", deployTs: Date.now() }),
  },
  "metrics/metrics:functionStats": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.functionStats, { deployment: "prod", ...lastHour() }),
  },
  "metrics/metrics:slowCalls": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.slowCalls, { deployment: "prod", ...lastHour() }),
  },
  "metrics/metrics:errorSeries": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.errorSeries, { deployment: "prod", ...lastHour() }),
  },
  "metrics/metrics:errorGroups": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.errorGroups, { deployment: "prod", ...lastHour() }),
  },
  "metrics/metrics:errorGroupCalls": {
    access: "viewer",
    call: async (c, t) =>
      c.query(api.metrics.metrics.errorGroupCalls, {
        deployment: "prod",
        ...lastHour(),
        group: await t.run(
          async (ctx) =>
            await ctx.db.insert("errorGroups", {
              deployment: "prod",
              key: "a:b|OCC|conflict",
              functionPath: "a:b",
              code: "OCC",
              message: "conflict",
              sampleMessage: "conflict",
              count: 1,
              firstSeen: 0,
              lastSeen: 0,
              lastRequestId: "r",
            }),
        ),
      }),
  },
  "metrics/metrics:requestTimeline": {
    access: "viewer",
    call: (c) => c.query(api.metrics.metrics.requestTimeline, { deployment: "prod", requestId: "r" }),
  },
  "settings/settings:get": { access: "viewer", call: (c) => c.query(api.settings.settings.get, {}) },
  "settings/settings:update": {
    access: "admin",
    call: (c) =>
      c.mutation(api.settings.settings.update, {
        slowDurationMs: 250,
        slowDbCalls: 10,
        slowDocsScanned: 10_000,
        rawRetentionHours: 24,
        replayWindowMinutes: 5,
      }),
  },
  "settings/settings:timeZone": {
    access: "viewer",
    call: (c) => c.query(api.settings.settings.timeZone, {}),
  },
  "settings/settings:setTimeZone": {
    access: "admin",
    call: (c) => c.mutation(api.settings.settings.setTimeZone, { timeZone: "Europe/Berlin" }),
  },
  "logs/logs:search": {
    access: "viewer",
    call: (c) => c.query(api.logs.logs.search, { query: "level:error timestamp:>-1h", now: Date.now() }),
  },
  "logs/logs:tail": {
    access: "viewer",
    call: (c) => c.query(api.logs.logs.tail, { query: "level:error", now: Date.now() }),
  },
  "logs/logs:requestTimeline": {
    access: "viewer",
    call: (c) => c.query(api.logs.logs.requestTimeline, { requestId: "r" }),
  },
  "logs/savedSearches:list": {
    access: "viewer",
    call: (c) => c.query(api.logs.savedSearches.list, {}),
  },
  "logs/savedSearches:get": {
    access: "viewer",
    call: (c) => c.query(api.logs.savedSearches.get, { id: "not-an-id" }),
  },
  "logs/savedSearches:save": {
    access: "operator",
    call: (c) => c.mutation(api.logs.savedSearches.save, { name: `errors ${Math.random()}`, query: "level:error" }),
  },
  "logs/savedSearches:remove": {
    access: "operator",
    call: async (c, t) => {
      const id = await t.run(
        async (ctx) =>
          await ctx.db.insert("logSavedSearches", { name: `n${Math.random()}`, query: "x", savedBy: "a", savedAt: 0 }),
      );
      return await c.mutation(api.logs.savedSearches.remove, { id });
    },
  },
  "metrics/deploys:markers": {
    access: "viewer",
    call: (c) =>
      c.query(api.metrics.deploys.markers, { deployment: "tall-sheep-123", from: 0, to: Date.now() }),
  },
  "metrics/webhookSecrets:status": {
    access: "viewer",
    call: (c) => c.query(api.metrics.webhookSecrets.status, {}),
  },
  "metrics/webhookSecrets:setSecret": {
    access: "admin",
    call: (c) =>
      c.mutation(api.metrics.webhookSecrets.setSecret, { secret: "0123456789abcdef0123456789abcdef" }),
  },
  "imports/imports:list": { access: "viewer", call: (c) => c.query(api.imports.imports.list, {}) },
  "imports/imports:repeatOf": {
    access: "viewer",
    call: async (c, t, callerId) =>
      c.query(api.imports.imports.repeatOf, {
        importId: await insertImport(t, callerId, { state: "ready" }),
      }),
  },
  "imports/imports:sendAgain": {
    access: "operator",
    // No deployment is connected in the matrix, so an allowed caller meets CONFLICT ("no longer the
    // connected deployment"); only the role refusal is what this row checks.
    call: async (c, t, callerId) =>
      await c
        .mutation(api.imports.imports.sendAgain, {
          importId: await (async () => {
            const importId = await insertImport(t, callerId, {
              state: "failed",
              step: "import",
              reason: "x",
            });
            await t.run(async (ctx) => await ctx.db.patch("imports", importId, { mode: "append" }));
            return importId;
          })(),
        })
        .catch((error: unknown) => {
          if ((error as { data?: { code?: string } }).data?.code !== "CONFLICT") throw error;
        }),
  },
  "imports/imports:get": {
    access: "viewer",
    call: async (c, t, callerId) =>
      c.query(api.imports.imports.get, { importId: await insertImport(t, callerId, { state: "ready" }) }),
  },
  "imports/imports:sourceDownloadLink": {
    access: "admin",
    call: async (c, t, callerId) =>
      c.mutation(api.imports.imports.sourceDownloadLink, {
        importId: await insertImport(t, callerId, { state: "ready" }),
      }),
  },
  "imports/imports:begin": {
    access: "operator",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      return c.mutation(api.imports.imports.begin, { fileName: "a.csv", sizeBytes: 5, targetTable: "tasks" });
    },
  },
  "imports/imports:uploadUrl": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.imports.imports.uploadUrl, {
        importId: await insertImport(t, callerId, { state: "uploading", bytesUploaded: 0 }),
      }),
  },
  "imports/imports:finishUpload": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.imports.imports.finishUpload, {
        importId: await insertImport(t, callerId, { state: "uploading", bytesUploaded: 3 }),
      }),
  },
  "imports/imports:submit": {
    access: "operator",
    call: async (c, t, callerId) => {
      // One import runs at a time: the previous caller's submitted import is done with.
      await t.run(async (ctx) => {
        for (const row of await ctx.db.query("imports").collect()) {
          await ctx.db.patch("imports", row._id, { status: { state: "canceled" } });
        }
      });
      await connectRefusingDeployment(t);
      const importId = await insertImport(t, callerId, { state: "ready" });
      // Sent only to the deployment it was uploaded for.
      await t.run(
        async (ctx) => await ctx.db.patch("imports", importId, { deployment: "matrix-deployment-1" }),
      );
      return c.mutation(api.imports.imports.submit, {
        importId,
        mode: "append",
      });
    },
  },
  "imports/imports:confirm": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.imports.imports.confirm, {
        importId: await insertImport(t, callerId, {
          state: "waiting_for_confirmation",
          messageToConfirm: "ok",
        }),
      }),
  },
  "imports/imports:cancel": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.imports.imports.cancel, {
        importId: await insertImport(t, callerId, { state: "ready" }),
      }),
  },
  "tasks/admin:list": {
    access: "viewer",
    call: (c) => c.query(api.tasks.admin.list, { paginationOpts: firstPage, state: "open" }),
  },
  "tasks/admin:counts": { access: "viewer", call: (c) => c.query(api.tasks.admin.counts, {}) },
  "tasks/admin:setCompleted": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.tasks.admin.setCompleted, { taskIds: [await insertTask(t, callerId)], completed: true }),
  },
  "tasks/admin:setPriority": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.tasks.admin.setPriority, { taskIds: [await insertTask(t, callerId)], priority: "high" }),
  },
  "tasks/admin:remove": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.tasks.admin.remove, {
        taskIds: [await insertTask(t, callerId), await insertTask(t, callerId)],
        confirmation: "delete 2 tasks",
      }),
  },
  "tasks/tasks:list": { access: "viewer", call: (c) => c.query(api.tasks.tasks.list, {}) },
  "tasks/tasks:create": {
    access: "operator",
    call: (c) => c.mutation(api.tasks.tasks.create, { text: "matrix", priority: "low" }),
  },
  "tasks/tasks:setCompleted": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.tasks.tasks.setCompleted, { taskId: await insertTask(t, callerId), completed: true }),
  },
  "tasks/tasks:remove": {
    access: "operator",
    call: async (c, t, callerId) =>
      c.mutation(api.tasks.tasks.remove, { taskId: await insertTask(t, callerId) }),
  },
  "runbooks/runbooks:board": {
    access: "viewer",
    call: (c) => c.query(api.runbooks.runbooks.board, { now: Date.now() }),
  },
  "runbooks/runbooks:history": {
    access: "viewer",
    call: async (c, t) =>
      c.query(api.runbooks.runbooks.history, {
        templateId: (await runbookTemplate(t, "daily-maintenance"))._id,
        now: Date.now(),
      }),
  },
  "runbooks/runbooks:template": {
    access: "viewer",
    call: async (c, t) =>
      c.query(api.runbooks.runbooks.template, { templateId: (await runbookTemplate(t, "data-loss"))._id }),
  },
  "runbooks/runbooks:summary": {
    access: "viewer",
    call: (c) => c.query(api.runbooks.runbooks.summary, { now: Date.now() }),
  },
  "runbooks/runbooks:evidence": {
    access: "viewer",
    call: (c) => c.query(api.runbooks.runbooks.evidence, { now: Date.now() }),
  },
  "runbooks/runs:ensureCurrent": {
    access: "viewer",
    call: (c) => c.mutation(api.runbooks.runs.ensureCurrent, {}),
  },
  "runbooks/runs:start": {
    access: "operator",
    call: async (c, t) =>
      c.mutation(api.runbooks.runs.start, {
        templateId: (await runbookTemplate(t, "security-incident"))._id,
        title: "Leaked key",
      }),
  },
  "runbooks/runs:close": {
    access: "operator",
    call: async (c, t) => c.mutation(api.runbooks.runs.close, { runId: await openOutageRun(t) }),
  },
  "runbooks/runs:tick": {
    access: "operator",
    call: async (c, t) =>
      c.mutation(api.runbooks.runs.tick, {
        runId: await openOutageRun(t),
        itemKey: "rollback",
        note: "done",
      }),
  },
  "runbooks/runs:untick": {
    access: "operator",
    call: async (c, t) =>
      c.mutation(api.runbooks.runs.untick, {
        runId: await openOutageRun(t, "rollback"),
        itemKey: "rollback",
      }),
  },
  "runbooks/templates:saveVersion": {
    access: "admin",
    call: async (c, t) => {
      const template = await runbookTemplate(t, "monthly-maintenance");
      return c.mutation(api.runbooks.templates.saveVersion, {
        templateId: template._id,
        expectedVersion: template.currentVersion,
        title: template.title,
        description: template.description,
        items: [{ text: "Only item" }],
      });
    },
  },
  "usage/usage:summary": {
    access: "viewer",
    call: (c) => c.query(api.usage.usage.summary, { now: Date.now() }),
  },
  "usage/usage:headline": {
    access: "viewer",
    call: (c) => c.query(api.usage.usage.headline, { now: Date.now() }),
  },
  "usage/usage:topFunctions": {
    access: "viewer",
    call: (c) => c.query(api.usage.usage.topFunctions, { now: Date.now() }),
  },
  "usage/usage:convexFigures": {
    access: "viewer",
    call: (c) => c.query(api.usage.usage.convexFigures, { now: Date.now() }),
  },
  "usage/usage:setPlan": {
    access: "admin",
    call: (c) => c.mutation(api.usage.usage.setPlan, { plan: "professional" }),
  },
  "usage/usage:refreshConvexFigures": {
    access: "operator",
    call: async (c, t) => {
      await connectRefusingDeployment(t);
      return c.mutation(api.usage.usage.refreshConvexFigures, {});
    },
  },
  "users/invites:revoke": {
    access: "admin",
    call: async (c, t) => {
      const inviteId = await t.run(async (ctx) => {
        const admin = (await ctx.db.query("users").first())!;
        return await ctx.db.insert("invites", {
          email: "revokee@example.com",
          role: "viewer",
          status: "pending",
          invitedBy: admin._id,
          invitedByEmail: admin.email!,
          expiresAt: Date.now() + 60_000,
        });
      });
      return c.mutation(api.users.invites.revoke, { inviteId });
    },
  },
};

/** @convex-dev/auth's own endpoints: public by design, they are how a browser signs in. */
const AUTH_LIBRARY_FUNCTIONS = ["auth:signIn", "auth:signOut", "auth:isAuthenticated"];

type Registered = { isPublic?: boolean; isInternal?: boolean; isHttp?: boolean; [ACCESS_TAG]?: Access };

/** Mirrors which files the Convex CLI deploys: one dot in the name, outside _generated, not the schema. */
function isDeployedModule(path: string): boolean {
  const base = path.split("/").pop()!;
  return !path.includes("/_generated/") && base.split(".").length === 2 && !/^schema\.[jt]s$/.test(base);
}

async function discoverPublicFunctions(): Promise<Map<string, Registered>> {
  const found = new Map<string, Registered>();
  for (const [path, load] of Object.entries(modules)) {
    if (!isDeployedModule(path)) continue;
    const moduleName = path.replace(/^\.\//, "").replace(/\.[jt]s$/, "");
    const exports = (await load()) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      const fn = value as Registered;
      if (typeof value === "function" && fn.isPublic === true && fn.isHttp !== true) {
        found.set(`${moduleName}:${name}`, fn);
      }
    }
  }
  return found;
}

async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof ConvexError) return (error.data as { code: string }).code;
    throw error;
  }
}

/**
 * One signed-in session per role, written straight into the auth tables: the matrix is about the
 * role check every builder makes, and 105 rows of three real sign-ups (scrypt each) took most of a
 * minute and a half. Signing up and invites are tested through the auth action in `users/`.
 */
async function teamOfRoles(t: Backend) {
  const member = async (email: string, role: Doc<"users">["role"]) => {
    const { userId, sessionId } = await t.run(async (ctx) => {
      const userId = await ctx.db.insert("users", { email, role });
      const sessionId = await ctx.db.insert("authSessions", {
        userId,
        expirationTime: Date.now() + 3_600_000,
      });
      return { userId, sessionId };
    });
    const subject = `${userId}|${sessionId}`;
    const client = t.withIdentity({
      subject,
      issuer: TEST_SITE_URL,
      tokenIdentifier: `${TEST_SITE_URL}|${subject}`,
    });
    return { userId, client };
  };
  return {
    admin: await member("admin@example.com", "admin"),
    operator: await member("operator@example.com", "operator"),
    viewer: await member("viewer@example.com", "viewer"),
  };
}

describe("access matrix", () => {
  test("every public function has a row, and only the auth library bypasses the shared builders", async () => {
    const discovered = await discoverPublicFunctions();
    const names = [...discovered.keys()].sort();
    expect(names).toEqual([...Object.keys(matrix), ...AUTH_LIBRARY_FUNCTIONS].sort());
    for (const [name, fn] of discovered) {
      if (AUTH_LIBRARY_FUNCTIONS.includes(name)) continue;
      expect({ name, access: fn[ACCESS_TAG] }).toEqual({ name, access: matrix[name]!.access });
    }
  });

  describe.each(Object.entries(matrix))("%s", (_name, row) => {
    test(`allows ${row.access} and above, refuses the rest`, async () => {
      const t = await newBackend();
      const team = await teamOfRoles(t);
      const callers: Record<Access, Caller> = {
        anonymous: t,
        viewer: team.viewer.client,
        operator: team.operator.client,
        admin: team.admin.client,
      };
      const callerIds: Record<Access, Id<"users">> = {
        anonymous: team.admin.userId,
        viewer: team.viewer.userId,
        operator: team.operator.userId,
        admin: team.admin.userId,
      };
      const levels: Access[] = ["anonymous", ...ROLES];
      const allowedFrom = levels.indexOf(row.access);
      const outcomes = [];
      for (const [index, level] of levels.entries()) {
        const expected =
          index >= allowedFrom ? null : level === "anonymous" ? "UNAUTHENTICATED" : "UNAUTHORIZED";
        outcomes.push({
          level,
          expected,
          actual: await refusal(row.call(callers[level], t, callerIds[level])),
        });
      }
      for (const outcome of outcomes) {
        expect(outcome.actual, `${outcome.level}`).toBe(outcome.expected);
      }
    });
  });
});
