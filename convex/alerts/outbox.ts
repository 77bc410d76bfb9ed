/**
 * Writing notifications: every transition that tells someone inserts one outbox row per enabled
 * channel in the caller's transaction, so a notification exists exactly when its transition does.
 * The delivery action (deliver.ts) sends them in creation order per channel.
 */
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { env, type MutationCtx, type QueryCtx } from "../_generated/server";
import {
  dedupeKey,
  DEFAULT_POLICY,
  dueAt,
  fingerprint,
  groupKeyOf,
  groupLabelsOf,
  MAX_ALERTS_PER_MESSAGE,
  type NotificationPolicy,
} from "./model/delivery";
import type { AlertNotice } from "./model/payloads";
import { activeSilence, type AlertLabels } from "./model/silences";

/** More channels than a team configures; every read of them is bounded by it. */
export const MAX_CHANNELS = 20;
/** Silences still to end; older ones are only listed, never matched. */
export const MAX_OPEN_SILENCES = 200;

export async function loadPolicy(ctx: QueryCtx): Promise<NotificationPolicy> {
  const stored = await ctx.db.query("alertPolicy").first();
  return stored === null
    ? DEFAULT_POLICY
    : {
        groupWaitMs: stored.groupWaitMs,
        groupIntervalMs: stored.groupIntervalMs,
        repeatIntervalMs: stored.repeatIntervalMs,
        groupBy: stored.groupBy ?? DEFAULT_POLICY.groupBy,
      };
}

export async function enabledChannels(ctx: QueryCtx): Promise<Doc<"alertChannels">[]> {
  return (await ctx.db.query("alertChannels").take(MAX_CHANNELS)).filter((channel) => channel.enabled);
}

export async function openSilences(ctx: QueryCtx, now: number): Promise<Doc<"alertSilences">[]> {
  return await ctx.db
    .query("alertSilences")
    .withIndex("by_ends", (q) => q.gt("endsAt", now))
    .take(MAX_OPEN_SILENCES);
}

/** A link into the console; relative when SITE_URL (the console's own address) is not set. */
export function consoleLink(path: string): string {
  return `${(env.SITE_URL ?? "").replace(/\/$/, "")}${path}`;
}

export function labelsOf(
  rule: Doc<"alertRules">,
  instance: Pick<Doc<"alertInstances">, "deployment" | "functionPath">,
) {
  const labels: Record<string, string> = {
    alertname: rule.name,
    rule: rule.key,
    deployment: instance.deployment,
    severity: rule.severity,
  };
  if (instance.functionPath !== null) labels.function = instance.functionPath;
  return labels;
}

export function silenceLabels(labels: Record<string, string>): AlertLabels {
  return {
    rule: labels.rule!,
    deployment: labels.deployment!,
    function: labels.function,
    severity: labels.severity!,
  };
}

export type Enqueue = {
  rule: Doc<"alertRules">;
  instance: Doc<"alertInstances">;
  status: "firing" | "resolved";
  summary: string;
  now: number;
  /** A line added to the message, e.g. that a silence ended while it still fires. */
  note?: string;
};

/**
 * Queues the notification for every enabled channel, or marks a firing one suppressed when an
 * active silence covers it. Returns the silence that held it back, if any, so the instance remembers it.
 */
export async function enqueueNotification(
  ctx: MutationCtx,
  { rule, instance, status, summary, now, note }: Enqueue,
): Promise<Doc<"alertSilences"> | null> {
  const labels = labelsOf(rule, instance);
  // A silence holds back the noise of an alert, not the news that it ended: whoever was told it
  // fires (the callers check) hears that it resolved, silence or not.
  const silence =
    status === "resolved" ? null : activeSilence(await openSilences(ctx, now), silenceLabels(labels), now);
  const policy = await loadPolicy(ctx);
  const print = fingerprint(labels);
  const startsAt = instance.firingSince ?? now;
  const annotations: Record<string, string> = { summary, description: instance.reason };
  if (rule.runbook !== null) {
    annotations.runbook_url = consoleLink(
      `/runbooks?history=${encodeURIComponent(rule.runbook.template)}#${rule.runbook.item}`,
    );
  }
  if (note !== undefined) annotations.note = note;
  const notice: AlertNotice = {
    status,
    labels,
    annotations,
    startsAt,
    endsAt: status === "resolved" ? now : null,
    fingerprint: print,
    generatorURL: consoleLink(`/alerts?alert=${encodeURIComponent(`${rule.key}/${instance.instanceKey}`)}`),
  };
  const key = dedupeKey({
    ruleKey: rule.key,
    instanceKey: instance.instanceKey,
    status,
    fingerprint: print,
    startsAt,
    repeat: status === "firing" ? instance.repeats : 0,
  });
  const groupLabels = groupLabelsOf(labels, policy.groupBy);
  const groupKey = groupKeyOf(groupLabels);
  for (const channel of await enabledChannels(ctx)) {
    const group = await ctx.db
      .query("alertGroups")
      .withIndex("by_channel_group", (q) => q.eq("channelId", channel._id).eq("groupKey", groupKey))
      .unique();
    const due = dueAt(
      policy,
      await groupTiming(ctx, channel._id, groupKey, print, group?.lastSentAt ?? null),
      now,
    );
    await insertOutboxRow(ctx, {
      channelId: channel._id,
      status: silence === null ? "pending" : "suppressed",
      kind: "alert",
      dedupeKey: key,
      groupKey,
      groupLabels,
      notice,
      dueAt: due,
      attempts: 0,
      nextAttemptAt: due,
      deliveredAt: null,
      note:
        silence === null
          ? null
          : `Silenced by ${silence.createdBy} until ${new Date(silence.endsAt).toISOString()}.`,
      createdAt: now,
    });
  }
  return silence;
}

/**
 * Where a new notification of the group stands: the due time of the group's next message when it
 * may join it (notifications wait for it, none about the same alert), else when the group flushes
 * last before it (that waiting message's time, so it follows one group interval later).
 */
async function groupTiming(
  ctx: QueryCtx,
  channelId: Id<"alertChannels">,
  groupKey: string,
  print: string,
  lastSentAt: number | null,
): Promise<{ lastFlushAt: number | null; joining: number | null }> {
  const waiting = (
    await ctx.db
      .query("alertOutbox")
      .withIndex("by_channel_group_status", (q) =>
        q.eq("channelId", channelId).eq("groupKey", groupKey).eq("status", "pending"),
      )
      .take(MAX_ALERTS_PER_MESSAGE)
  ).filter((row) => row.messageKey === undefined);
  const next = waiting[0];
  if (next === undefined) return { lastFlushAt: lastSentAt, joining: null };
  if (waiting.some((row) => row.notice.fingerprint === print)) {
    return { lastFlushAt: Math.max(...waiting.map((row) => row.dueAt)), joining: null };
  }
  return { lastFlushAt: lastSentAt, joining: next.dueAt };
}

export async function insertOutboxRow(
  ctx: MutationCtx,
  row: Omit<Doc<"alertOutbox">, "_id" | "_creationTime">,
) {
  const id: Id<"alertOutbox"> = await ctx.db.insert("alertOutbox", row);
  if (row.status === "pending") {
    await ctx.scheduler.runAt(row.dueAt, internal.alerts.deliver.deliverChannel, {
      channelId: row.channelId,
    });
  }
  return id;
}
