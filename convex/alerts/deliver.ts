/**
 * Delivery: one action per channel sends its pending outbox rows oldest first, one message at a
 * time, so a receiver sees them in order; a failure is retried with backoff before anything behind
 * it goes. As Alertmanager flushes an aggregation group, the oldest row's due notifications of the
 * same group go in ONE message, with the group's other alerts still firing; the flush fixes which
 * rows the message holds and its id, so a retry (even after a restart) sends the same message.
 * A lease on the channel keeps two runs from sending the same rows; a run killed mid-send leaves
 * them pending and its lease expiring, and the evaluation cron resumes it.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { sentenceOf } from "../lib/errors";
import { internalAction, internalMutation } from "../lib/functions";
import { openSecret } from "../lib/secrets";
import { signBody } from "../metrics/read";
import {
  attemptSentence,
  backoffMs,
  givesUp,
  groupMessage,
  knownAfter,
  MAX_ALERTS_PER_MESSAGE,
  messageKey,
  oneStatePerAlert,
  SLACK_SPACING_MS,
} from "./model/delivery";
import { alertmanagerBody, slackBody, type AlertNotice } from "./model/payloads";
import { consoleLink, MAX_CHANNELS } from "./outbox";

/**
 * Twice what one send may take (its fetch times out at SEND_TIMEOUT_MS), so a live run keeps its
 * lease; a killed run's channel waits at most this long before the evaluation cron resumes it.
 */
export const LEASE_MS = 20_000;
const SEND_TIMEOUT_MS = 10_000;
/** Rows one run sends before handing over to a fresh run. */
const ROWS_PER_RUN = 25;

export const DEDUPE_HEADER = "x-alert-dedupe-key";

export function urlPurpose(channelName: string): string {
  return `alert-channel-url:${channelName}`;
}

export function secretPurpose(channelName: string): string {
  return `alert-channel-secret:${channelName}`;
}

async function headOf(ctx: MutationCtx, channelId: Id<"alertChannels">) {
  return await ctx.db
    .query("alertOutbox")
    .withIndex("by_channel_status", (q) => q.eq("channelId", channelId).eq("status", "pending"))
    .first();
}

async function groupOf(ctx: MutationCtx, channelId: Id<"alertChannels">, groupKey: string) {
  return await ctx.db
    .query("alertGroups")
    .withIndex("by_channel_group", (q) => q.eq("channelId", channelId).eq("groupKey", groupKey))
    .unique();
}

/**
 * The rows of the message the head row goes in. A message flushed before (a retry) keeps exactly
 * its rows; otherwise the group's due notifications not yet in a message are flushed together, and
 * the group's interval counts from now. A test notification is a message of its own.
 */
async function messageRows(ctx: MutationCtx, head: Doc<"alertOutbox">, now: number) {
  if (head.kind === "test") return [head];
  const pending = await ctx.db
    .query("alertOutbox")
    .withIndex("by_channel_group_status", (q) =>
      q.eq("channelId", head.channelId).eq("groupKey", head.groupKey).eq("status", "pending"),
    )
    .take(MAX_ALERTS_PER_MESSAGE * 2);
  if (head.messageKey !== undefined) return pending.filter((row) => row.messageKey === head.messageKey);
  const rows = oneStatePerAlert(
    pending.filter((row) => row.kind === "alert" && row.messageKey === undefined && row.nextAttemptAt <= now),
  ).slice(0, MAX_ALERTS_PER_MESSAGE);
  const key = messageKey(
    head.groupKey,
    rows.map((row) => row.dedupeKey),
  );
  for (const row of rows) await ctx.db.patch("alertOutbox", row._id, { messageKey: key });
  const group = await groupOf(ctx, head.channelId, head.groupKey);
  if (group === null)
    await ctx.db.insert("alertGroups", {
      channelId: head.channelId,
      groupKey: head.groupKey,
      lastSentAt: now,
      firing: [],
    });
  else await ctx.db.patch("alertGroups", group._id, { lastSentAt: now });
  return rows.map((row) => ({ ...row, messageKey: key }));
}

/** Takes the channel's oldest pending message when it is due and nobody else is sending. */
export const claim = internalMutation({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    const now = Date.now();
    const channel = await ctx.db.get("alertChannels", channelId);
    if (channel === null || !channel.enabled || channel.leaseUntil > now) return null;
    const head = await headOf(ctx, channelId);
    if (head === null || head.nextAttemptAt > now) return null;
    await ctx.db.patch("alertChannels", channelId, { leaseUntil: now + LEASE_MS });
    const rows = await messageRows(ctx, head, now);
    const group = head.kind === "test" ? null : await groupOf(ctx, channelId, head.groupKey);
    const { alerts, truncated } = groupMessage(
      (group?.firing ?? []) as AlertNotice[],
      rows.map((row) => row.notice),
    );
    return {
      message: {
        outboxIds: rows.map((row) => row._id),
        id: head.kind === "test" ? head.dedupeKey : rows[0]!.messageKey!,
        groupKey: head.groupKey,
        groupLabels: head.groupLabels ?? {},
        alerts,
        truncated,
      },
      channel: { name: channel.name, kind: channel.kind, url: channel.url, secret: channel.secret },
    };
  },
});

/**
 * Logs the attempt; a delivered message is done and the group remembers what it was told; a failed
 * one waits its backoff; then the lease is released.
 */
export const record = internalMutation({
  args: {
    outboxIds: v.array(v.id("alertOutbox")),
    httpStatus: v.union(v.number(), v.null()),
    error: v.union(v.string(), v.null()),
  },
  handler: async (ctx, { outboxIds, httpStatus, error }) => {
    const now = Date.now();
    const rows = (await Promise.all(outboxIds.map((id) => ctx.db.get("alertOutbox", id)))).filter(
      (row): row is Doc<"alertOutbox"> => row !== null,
    );
    const head = rows[0]!;
    const channel = (await ctx.db.get("alertChannels", head.channelId))!;
    const ok = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    const attempts = head.attempts + 1;
    const firstSummary = `${head.notice.status === "firing" ? "Firing" : "Resolved"}: ${head.notice.annotations.summary ?? ""}`;
    await ctx.db.insert("alertAttempts", {
      outboxId: head._id,
      channelId: head.channelId,
      channelName: channel.name,
      dedupeKey: head.messageKey ?? head.dedupeKey,
      summary: rows.length === 1 ? firstSummary : `${firstSummary} and ${rows.length - 1} more of its group`,
      httpStatus,
      ok,
      sentence: attemptSentence(httpStatus, error, attempts),
      at: now,
    });
    if (ok && channel.kind === "slack") {
      // Slack's rate limit: the channel is held for a second, then the next message goes.
      await ctx.db.patch("alertChannels", channel._id, { leaseUntil: now + SLACK_SPACING_MS });
      await ctx.scheduler.runAt(now + SLACK_SPACING_MS, internal.alerts.deliver.deliverChannel, {
        channelId: channel._id,
      });
    } else await ctx.db.patch("alertChannels", channel._id, { leaseUntil: 0 });
    if (!ok && givesUp(httpStatus, attempts)) {
      for (const row of rows) await ctx.db.patch("alertOutbox", row._id, { status: "failed", attempts });
      return;
    }
    if (ok) {
      for (const row of rows)
        await ctx.db.patch("alertOutbox", row._id, { status: "delivered", deliveredAt: now, attempts });
      if (head.kind === "alert") {
        const group = await groupOf(ctx, channel._id, head.groupKey);
        if (group !== null) {
          await ctx.db.patch("alertGroups", group._id, {
            firing: knownAfter(
              (group.firing ?? []) as AlertNotice[],
              rows.map((row) => row.notice),
            ),
          });
        }
      }
      return;
    }
    const nextAttemptAt = now + backoffMs(attempts);
    for (const row of rows) await ctx.db.patch("alertOutbox", row._id, { attempts, nextAttemptAt });
    await ctx.scheduler.runAt(nextAttemptAt, internal.alerts.deliver.deliverChannel, {
      channelId: channel._id,
    });
  },
});

type Message = {
  id: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: AlertNotice[];
  truncated: number;
};

/** What the channel receives for a message: the webhook or Slack body. */
export function bodyOf(kind: Doc<"alertChannels">["kind"], channelName: string, message: Message): string {
  if (kind === "slack") return JSON.stringify(slackBody(message.alerts, message.truncated));
  return JSON.stringify(
    alertmanagerBody({
      receiver: channelName,
      groupKey: message.groupKey,
      groupLabels: message.groupLabels,
      externalURL: consoleLink("/alerts"),
      alerts: message.alerts,
      truncatedAlerts: message.truncated,
    }),
  );
}

export const deliverChannel = internalAction({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    for (let sent = 0; sent < ROWS_PER_RUN; sent++) {
      const claimed = await ctx.runMutation(internal.alerts.deliver.claim, { channelId });
      if (claimed === null) return;
      const { message, channel } = claimed;
      let httpStatus: number | null = null;
      let error: string | null = null;
      try {
        const url = await openSecret(channel.url, urlPurpose(channel.name), "alert channel URL");
        const body = new TextEncoder().encode(bodyOf(channel.kind, channel.name, message));
        const headers: Record<string, string> = {
          "content-type": "application/json",
          [DEDUPE_HEADER]: message.id,
        };
        if (channel.kind === "webhook" && channel.secret !== null) {
          const secret = await openSecret(
            channel.secret,
            secretPurpose(channel.name),
            "alert channel signing secret",
          );
          headers["x-webhook-signature"] = await signBody(secret, body);
        }
        // Redirects are not followed: the URL an admin checked is the only place the body goes.
        const response = await fetch(url, {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
        httpStatus = response.status;
        await response.body?.cancel();
      } catch (failure) {
        // Only our own sentences are kept: a network error may quote the URL, which holds a token.
        if (failure instanceof ConvexError) error = sentenceOf(failure);
        else if (failure instanceof Error && failure.name === "TimeoutError")
          error = `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
        else error = "the receiver could not be reached";
      }
      await ctx.runMutation(internal.alerts.deliver.record, {
        outboxIds: message.outboxIds,
        httpStatus,
        error,
      });
    }
    await ctx.scheduler.runAfter(0, internal.alerts.deliver.deliverChannel, { channelId });
  },
});

/** Restarts delivery of every channel whose oldest row is due and whose sender is gone (killed, crashed). */
export async function resumeDeliveries(ctx: MutationCtx, now: number): Promise<void> {
  for (const channel of await ctx.db.query("alertChannels").take(MAX_CHANNELS)) {
    if (!channel.enabled || channel.leaseUntil > now) continue;
    const head = await headOf(ctx, channel._id);
    if (head !== null && head.nextAttemptAt <= now) {
      await ctx.scheduler.runAfter(0, internal.alerts.deliver.deliverChannel, { channelId: channel._id });
    }
  }
}
