/**
 * The Alerts page's functions. Viewers read; operators acknowledge and add or end silences;
 * admins edit rules, channels and the notification policy. Every change is audited, and channel
 * URLs and secrets only ever leave as masks.
 */
import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, operatorMutation, viewerQuery } from "../lib/functions";
import { maskSecret, sealSecret } from "../lib/secrets";
import { upsertByIndex } from "../lib/upsert";
import { failingCallsInWindow, slowCallsInWindow } from "../metrics/read";
import { secretPurpose, urlPurpose } from "./deliver";
import { endRuleAlerts } from "./endAlerts";
import { DEFAULT_POLICY, GROUPABLE_LABELS, maskUrl, webhookUrlProblem } from "./model/delivery";
import { evidenceKind, EVIDENCE_LIMIT, firingWindow } from "./model/evidence";
import { BUILT_IN_RULES, CONSOLE_INSTANCE, instanceKey, ruleProblem } from "./model/rules";
import { CONSOLE_TILE_SIGNALS, judgeTiles, TILE_SIGNALS, type TileSignal } from "./model/tiles";
import { matches, silenceProblem, silenceStatus } from "./model/silences";
import { insertOutboxRow, loadPolicy, MAX_CHANNELS } from "./outbox";
import { matchersValidator, severityValidator } from "./tables";

const ACTIVE_STATES = ["firing", "nodata", "error", "recovering", "pending"] as const;
/** Per state: more open alerts than a person can read; the page says when it was cut. */
const MAX_OPEN_PER_STATE = 200;
const HISTORY_ROWS = 50;
const SILENCES_LISTED = 100;
const ATTEMPTS_LISTED = 100;
/** Instances a silence is checked against for "matches nothing". */
const INSTANCES_CHECKED = 1000;
const MAX_NOTE = 500;

function requireText(value: string, what: string, max = MAX_NOTE): string {
  const text = value.trim();
  if (text === "") throw appError("VALIDATION_ERROR", `Write ${what}.`);
  if (text.length > max) throw appError("VALIDATION_ERROR", `Keep ${what} under ${max} characters.`);
  return text;
}

async function openAlerts(ctx: QueryCtx) {
  const open: Doc<"alertInstances">[] = [];
  for (const state of ACTIVE_STATES) {
    open.push(
      ...(await ctx.db
        .query("alertInstances")
        .withIndex("by_state", (q) => q.eq("state", state))
        .order("desc")
        .take(MAX_OPEN_PER_STATE)),
    );
  }
  return open;
}

/** Open alerts (firing first, then pending) and recent history with who acknowledged and when it resolved. */
export const overview = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const rules = await ctx.db.query("alertRules").take(100);
    const ruleByKey = new Map(rules.map((rule) => [rule.key, rule]));
    const open = (await openAlerts(ctx)).map((instance) => {
      const rule = ruleByKey.get(instance.ruleKey);
      return {
        _id: instance._id,
        ruleKey: instance.ruleKey,
        ruleName: rule?.name ?? instance.ruleKey,
        severity: instance.severity,
        state: instance.state,
        since: instance.since,
        firingSince: instance.firingSince,
        deployment: instance.deployment,
        functionPath: instance.functionPath,
        reason: instance.reason,
        acknowledged: instance.acknowledged,
        silencedBy: instance.silencedBy,
        runbook: rule?.runbook ?? null,
        // A rule made from a Logs search links back to Logs with it.
        ...(rule?.search !== undefined && { logsQuery: rule.search.query }),
      };
    });
    const history = await ctx.db.query("alertEvents").withIndex("by_at").order("desc").take(HISTORY_ROWS);
    return { open, history, firing: open.filter((alert) => alert.state !== "pending").length };
  },
});

/**
 * The requests behind an alert: the failing (or slow) calls of its deployment, or of its function,
 * in the window that fired it, newest first and at most EVIDENCE_LIMIT; `more` when there were more.
 * Null for an alert that is gone; `kind` null for a rule no request explains (a backup, a silent stream).
 */
export const evidence = viewerQuery({
  args: { instanceId: v.id("alertInstances") },
  handler: async (ctx, { instanceId }) => {
    const instance = await ctx.db.get("alertInstances", instanceId);
    if (instance === null) return null;
    const rule = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", instance.ruleKey))
      .unique();
    const window = firingWindow(instance);
    const kind = rule === null || instance.deployment === CONSOLE_INSTANCE ? null : evidenceKind(rule.signal);
    if (kind === null) return { kind, ...window, calls: [], more: false };
    const scope = {
      deployment: instance.deployment,
      functionPath: instance.functionPath,
      ...window,
      limit: EVIDENCE_LIMIT + 1,
    };
    const rows =
      kind === "failures" ? await failingCallsInWindow(ctx, scope) : await slowCallsInWindow(ctx, scope);
    return {
      kind,
      ...window,
      calls: rows.slice(0, EVIDENCE_LIMIT).map((row) => ({
        requestId: row.requestId,
        ts: row.ts,
        functionPath: row.functionPath,
        durationMs: row.durationMs,
        failed: row.status === "failure",
      })),
      more: rows.length > EVIDENCE_LIMIT,
    };
  },
});

/**
 * The tiles' verdicts: each is its rules' state (one rule, one place), on `deployment` for the
 * per-deployment signals and on the console's instance for plan usage and backups.
 */
async function judgeOn<S extends TileSignal>(
  ctx: QueryCtx,
  signals: readonly S[],
  deployment: string | null,
) {
  const stored = await ctx.db.query("alertRules").take(100);
  // Before the first evaluation seeds them, the built-in rules are what will judge.
  const rules = (stored.length > 0 ? stored : BUILT_IN_RULES).filter((rule) =>
    (signals as readonly string[]).includes(rule.signal),
  );
  const onTiles = [];
  for (const rule of rules) {
    const target = rule.scope === "console" ? CONSOLE_INSTANCE : deployment;
    const instance =
      target === null
        ? null
        : await ctx.db
            .query("alertInstances")
            .withIndex("by_rule_instance", (q) =>
              q.eq("ruleKey", rule.key).eq("instanceKey", instanceKey(target, null)),
            )
            .unique();
    // An instance of an older rule version is restarted at the next evaluation: Normal until then.
    const current = instance !== null && "version" in rule && instance.ruleVersion === rule.version;
    onTiles.push({
      ...rule,
      state: current ? instance.state : null,
      reason: current ? instance.reason : null,
    });
  }
  return judgeTiles(onTiles, signals);
}

/** The Overview tiles' verdicts on one deployment. */
export const tiles = viewerQuery({
  args: { deployment: v.string() },
  handler: async (ctx, { deployment }) => await judgeOn(ctx, TILE_SIGNALS, deployment),
});

/** The console-wide verdicts alone (plan usage, backups), for pages that have no deployment: Usage. */
export const consoleTiles = viewerQuery({
  args: {},
  handler: async (ctx) => await judgeOn(ctx, CONSOLE_TILE_SIGNALS, null),
});

export const rules = viewerQuery({
  args: {},
  handler: async (ctx) =>
    (await ctx.db.query("alertRules").take(100)).sort((a, b) => a.name.localeCompare(b.name)),
});

export const silences = viewerQuery({
  args: { now: v.number() },
  handler: async (ctx, { now }) => {
    const rows = await ctx.db.query("alertSilences").withIndex("by_ends").order("desc").take(SILENCES_LISTED);
    const instances = await ctx.db.query("alertInstances").take(INSTANCES_CHECKED);
    return rows.map((silence) => ({
      ...silence,
      status: silenceStatus(silence, now),
      matchesNothing: !instances.some((instance) =>
        matches(silence.matchers, {
          rule: instance.ruleKey,
          deployment: instance.deployment,
          function: instance.functionPath ?? undefined,
          severity: instance.severity,
        }),
      ),
    }));
  },
});

export const channels = viewerQuery({
  args: {},
  handler: async (ctx) =>
    (await ctx.db.query("alertChannels").take(MAX_CHANNELS)).map((channel) => ({
      _id: channel._id,
      name: channel.name,
      kind: channel.kind,
      urlMasked: channel.urlMasked,
      secretMasked: channel.secretMasked,
      enabled: channel.enabled,
      updatedAt: channel.updatedAt,
      updatedBy: channel.updatedBy,
    })),
});

export const deliveryLog = viewerQuery({
  args: {},
  handler: async (ctx) =>
    (await ctx.db.query("alertAttempts").withIndex("by_at").order("desc").take(ATTEMPTS_LISTED)).map(
      (attempt) => ({
        _id: attempt._id,
        channelName: attempt.channelName,
        dedupeKey: attempt.dedupeKey,
        summary: attempt.summary,
        httpStatus: attempt.httpStatus,
        ok: attempt.ok,
        sentence: attempt.sentence,
        at: attempt.at,
      }),
    ),
});

export const policy = viewerQuery({ args: {}, handler: async (ctx) => await loadPolicy(ctx) });

export const acknowledge = operatorMutation({
  args: { instanceId: v.id("alertInstances"), note: v.string() },
  handler: async (ctx, { instanceId, note }) => {
    const text = requireText(note, "a note saying what you are doing about it");
    const instance = await ctx.db.get("alertInstances", instanceId);
    if (instance === null) throw appError("NOT_FOUND", "That alert no longer exists.");
    if (instance.state === "normal" || instance.state === "pending") {
      throw appError("CONFLICT", "This alert is not firing, so there is nothing to acknowledge.");
    }
    await ctx.db.patch("alertInstances", instanceId, {
      acknowledged: { by: ctx.user.email, at: Date.now(), note: text },
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.acknowledged",
      target: `${instance.ruleKey}/${instance.instanceKey}`,
      details: { note: text },
    });
  },
});

export const addSilence = operatorMutation({
  args: { matchers: matchersValidator, startsAt: v.number(), endsAt: v.number(), comment: v.string() },
  handler: async (ctx, { matchers, startsAt, endsAt, comment }) => {
    const text = requireText(comment, "a comment saying why");
    const cleaned = Object.fromEntries(
      Object.entries(matchers).filter(([, value]) => value !== undefined && value.trim() !== ""),
    ) as typeof matchers;
    const problem = silenceProblem({ matchers: cleaned, startsAt, endsAt });
    if (problem !== null) throw appError("VALIDATION_ERROR", problem);
    if (endsAt - startsAt > 30 * 24 * 3_600_000) {
      throw appError(
        "VALIDATION_ERROR",
        "A silence lasts at most 30 days; one that is forgotten should still end.",
      );
    }
    const id = await ctx.db.insert("alertSilences", {
      matchers: cleaned,
      startsAt,
      endsAt,
      comment: text,
      createdBy: ctx.user.email,
      createdAt: Date.now(),
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.silence_added",
      target: id,
      details: { ...cleaned, startsAt, endsAt, comment: text },
    });
  },
});

export const expireSilence = operatorMutation({
  args: { silenceId: v.id("alertSilences") },
  handler: async (ctx, { silenceId }) => {
    const silence = await ctx.db.get("alertSilences", silenceId);
    if (silence === null) throw appError("NOT_FOUND", "That silence no longer exists.");
    const now = Date.now();
    if (silence.endsAt <= now) throw appError("CONFLICT", "That silence has already ended.");
    await ctx.db.patch("alertSilences", silenceId, {
      endsAt: now,
      startsAt: Math.min(silence.startsAt, now),
    });
    await recordAudit(ctx, { actor: ctx.user, action: "alert.silence_expired_early", target: silenceId });
  },
});

export const updateRule = adminMutation({
  args: {
    key: v.string(),
    threshold: v.number(),
    recoveryThreshold: v.number(),
    pendingMs: v.number(),
    keepFiringMs: v.number(),
    severity: severityValidator,
    enabled: v.boolean(),
  },
  handler: async (ctx, { key, ...changes }) => {
    const rule = await ctx.db
      .query("alertRules")
      .withIndex("by_key", (q) => q.eq("key", key))
      .unique();
    if (rule === null) throw appError("NOT_FOUND", "That rule does not exist.");
    const problem = ruleProblem(changes);
    if (problem !== null) throw appError("VALIDATION_ERROR", problem);
    const now = Date.now();
    // A new version ends the rule's alerts now; its next evaluation judges it afresh.
    await endRuleAlerts(
      ctx,
      rule,
      `The rule was ${changes.enabled ? "edited" : "disabled"} by ${ctx.user.email}`,
      now,
    );
    await ctx.db.patch("alertRules", rule._id, {
      ...changes,
      version: rule.version + 1,
      updatedAt: now,
      updatedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.rule_edited",
      target: key,
      details: { ...changes },
    });
  },
});

export const setPolicy = adminMutation({
  args: {
    groupWaitMs: v.number(),
    groupIntervalMs: v.number(),
    repeatIntervalMs: v.number(),
    /** Labels to group by; omitted: the grouping stays as it is. */
    groupBy: v.optional(v.array(v.string())),
  },
  handler: async (ctx, { groupBy, ...waits }) => {
    const values = Object.values(waits);
    if (
      values.some((value) => !Number.isFinite(value) || value < 0) ||
      waits.repeatIntervalMs < waits.groupIntervalMs
    ) {
      throw appError(
        "VALIDATION_ERROR",
        "Waits are zero or more, and the repeat interval is at least the group interval.",
      );
    }
    if (groupBy !== undefined) {
      const unknown = groupBy.filter((name) => !(GROUPABLE_LABELS as readonly string[]).includes(name));
      if (unknown.length > 0 || new Set(groupBy).size !== groupBy.length) {
        throw appError(
          "VALIDATION_ERROR",
          `Alerts can be grouped by ${GROUPABLE_LABELS.join(", ")}, each once; not by ${unknown.join(", ") || "a label twice"}.`,
        );
      }
    }
    const stored = await ctx.db.query("alertPolicy").first();
    const policy = { ...waits, groupBy: groupBy ?? stored?.groupBy ?? DEFAULT_POLICY.groupBy };
    const row = { ...policy, updatedAt: Date.now(), updatedBy: ctx.user.email };
    // The row names every field, so patching it leaves nothing of the old policy behind.
    await upsertByIndex(ctx, "alertPolicy", (q) => q, { insert: row, patch: () => row });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.policy_changed",
      target: "policy",
      details: { ...policy, groupBy: policy.groupBy.join(",") },
    });
  },
});

const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

function checkedUrl(url: string): string {
  const problem = webhookUrlProblem(url);
  if (problem !== null) throw appError("VALIDATION_ERROR", problem);
  return url.trim();
}

function checkedSecret(secret: string): string {
  if (secret.trim().length < 16)
    throw appError("VALIDATION_ERROR", "A signing secret needs at least 16 characters.");
  return secret.trim();
}

export const addChannel = adminMutation({
  args: {
    name: v.string(),
    kind: v.union(v.literal("webhook"), v.literal("slack")),
    url: v.string(),
    secret: v.optional(v.string()),
  },
  handler: async (ctx, { name, kind, url, secret }) => {
    const trimmed = name.trim();
    if (!CHANNEL_NAME.test(trimmed)) {
      throw appError(
        "VALIDATION_ERROR",
        "Name the channel with letters, digits, spaces, dots, dashes or underscores (at most 64).",
      );
    }
    const existing = await ctx.db
      .query("alertChannels")
      .withIndex("by_name", (q) => q.eq("name", trimmed))
      .unique();
    if (existing !== null) throw appError("CONFLICT", `A channel named ${trimmed} already exists.`);
    if ((await ctx.db.query("alertChannels").take(MAX_CHANNELS)).length >= MAX_CHANNELS) {
      throw appError("VALIDATION_ERROR", `At most ${MAX_CHANNELS} channels.`);
    }
    const target = checkedUrl(url);
    if (kind === "webhook" && secret === undefined) {
      throw appError(
        "VALIDATION_ERROR",
        "A webhook channel needs a signing secret, so the receiver can check each message.",
      );
    }
    const signing = secret === undefined || kind === "slack" ? null : checkedSecret(secret);
    await ctx.db.insert("alertChannels", {
      name: trimmed,
      kind,
      url: await sealSecret(target, urlPurpose(trimmed)),
      urlMasked: maskUrl(target),
      secret: signing === null ? null : await sealSecret(signing, secretPurpose(trimmed)),
      secretMasked: signing === null ? null : maskSecret(signing),
      enabled: true,
      leaseUntil: 0,
      updatedAt: Date.now(),
      updatedBy: ctx.user.email,
    });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.channel_added",
      target: trimmed,
      details: { kind, url: maskUrl(target), secret: signing === null ? null : maskSecret(signing) },
    });
  },
});

/** Rotates the URL or the signing secret, or turns the channel on or off. */
export const updateChannel = adminMutation({
  args: {
    channelId: v.id("alertChannels"),
    url: v.optional(v.string()),
    secret: v.optional(v.string()),
    enabled: v.optional(v.boolean()),
  },
  handler: async (ctx, { channelId, url, secret, enabled }) => {
    const channel = await ctx.db.get("alertChannels", channelId);
    if (channel === null) throw appError("NOT_FOUND", "That channel no longer exists.");
    const patch: Partial<Doc<"alertChannels">> = { updatedAt: Date.now(), updatedBy: ctx.user.email };
    const details: Record<string, string | boolean> = {};
    if (url !== undefined) {
      const target = checkedUrl(url);
      patch.url = await sealSecret(target, urlPurpose(channel.name));
      patch.urlMasked = details.url = maskUrl(target);
    }
    if (secret !== undefined) {
      if (channel.kind !== "webhook") throw appError("VALIDATION_ERROR", "Only webhook channels are signed.");
      const signing = checkedSecret(secret);
      patch.secret = await sealSecret(signing, secretPurpose(channel.name));
      patch.secretMasked = details.secret = maskSecret(signing);
    }
    if (enabled !== undefined) patch.enabled = details.enabled = enabled;
    await ctx.db.patch("alertChannels", channelId, patch);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.channel_edited",
      target: channel.name,
      details,
    });
  },
});

export const removeChannel = adminMutation({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    const channel = await ctx.db.get("alertChannels", channelId);
    if (channel === null) throw appError("NOT_FOUND", "That channel no longer exists.");
    const pending = await ctx.db
      .query("alertOutbox")
      .withIndex("by_channel_status", (q) => q.eq("channelId", channelId).eq("status", "pending"))
      .take(1000);
    for (const row of pending) await ctx.db.delete("alertOutbox", row._id);
    await ctx.db.delete("alertChannels", channelId);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "alert.channel_removed",
      target: channel.name,
      details: { unsent: pending.length },
    });
  },
});

/** Queues a test notification through the same outbox, so it shows in the delivery log like any other. */
export const sendTest = adminMutation({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    const channel = await ctx.db.get("alertChannels", channelId);
    if (channel === null) throw appError("NOT_FOUND", "That channel no longer exists.");
    const now = Date.now();
    const labels = {
      alertname: "Test notification",
      rule: "test",
      deployment: "console",
      severity: "warning",
    };
    await insertOutboxRow(ctx, {
      channelId,
      status: "pending",
      kind: "test",
      dedupeKey: `test/${channel.name}/${now}`,
      groupKey: "test",
      notice: {
        status: "firing",
        labels,
        annotations: {
          summary: `Test notification from the console, sent by ${ctx.user.email}`,
          description: "Nothing is wrong.",
        },
        startsAt: now,
        endsAt: null,
        fingerprint: "0000000000000000",
        generatorURL: "/alerts",
      },
      dueAt: now,
      attempts: 0,
      nextAttemptAt: now,
      deliveredAt: null,
      note: null,
      createdAt: now,
    });
    await recordAudit(ctx, { actor: ctx.user, action: "alert.channel_tested", target: channel.name });
  },
});
