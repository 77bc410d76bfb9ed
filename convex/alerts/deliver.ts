/**
 * Delivery: one action per channel sends its pending outbox rows oldest first, one at a time, so a
 * receiver sees them in order; a failure is retried with backoff before anything behind it goes.
 * A lease on the channel keeps two runs from sending the same row; a run killed mid-send leaves the
 * row pending and its lease expiring, and the evaluation cron resumes it.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { sentenceOf } from "../lib/errors";
import { internalAction, internalMutation } from "../lib/functions";
import { openSecret } from "../lib/secrets";
import { signBody } from "../metrics/read";
import { attemptSentence, backoffMs, givesUp, SLACK_SPACING_MS } from "./model/delivery";
import { alertmanagerBody, slackBody } from "./model/payloads";
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

/** Takes the channel's oldest pending row when it is due and nobody else is sending. */
export const claim = internalMutation({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    const now = Date.now();
    const channel = await ctx.db.get("alertChannels", channelId);
    if (channel === null || !channel.enabled || channel.leaseUntil > now) return null;
    const row = await headOf(ctx, channelId);
    if (row === null || row.nextAttemptAt > now) return null;
    await ctx.db.patch("alertChannels", channelId, { leaseUntil: now + LEASE_MS });
    return {
      row,
      channel: { name: channel.name, kind: channel.kind, url: channel.url, secret: channel.secret },
    };
  },
});

/** Logs the attempt; a delivered row is done, a failed one waits its backoff; then the lease is released. */
export const record = internalMutation({
  args: {
    outboxId: v.id("alertOutbox"),
    httpStatus: v.union(v.number(), v.null()),
    error: v.union(v.string(), v.null()),
  },
  handler: async (ctx, { outboxId, httpStatus, error }) => {
    const now = Date.now();
    const row = (await ctx.db.get("alertOutbox", outboxId))!;
    const channel = (await ctx.db.get("alertChannels", row.channelId))!;
    const ok = httpStatus !== null && httpStatus >= 200 && httpStatus < 300;
    const attempts = row.attempts + 1;
    await ctx.db.insert("alertAttempts", {
      outboxId,
      channelId: row.channelId,
      channelName: channel.name,
      dedupeKey: row.dedupeKey,
      summary: `${row.notice.status === "firing" ? "Firing" : "Resolved"}: ${row.notice.annotations.summary ?? ""}`,
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
      await ctx.db.patch("alertOutbox", outboxId, { status: "failed", attempts });
      return;
    }
    if (ok) {
      await ctx.db.patch("alertOutbox", outboxId, {
        status: "delivered",
        deliveredAt: now,
        attempts,
      });
      const group = await ctx.db
        .query("alertGroups")
        .withIndex("by_channel_group", (q) => q.eq("channelId", channel._id).eq("groupKey", row.groupKey))
        .unique();
      if (group === null)
        await ctx.db.insert("alertGroups", {
          channelId: channel._id,
          groupKey: row.groupKey,
          lastSentAt: now,
        });
      else await ctx.db.patch("alertGroups", group._id, { lastSentAt: now });
      return;
    }
    const nextAttemptAt = now + backoffMs(attempts);
    await ctx.db.patch("alertOutbox", outboxId, { attempts, nextAttemptAt });
    await ctx.scheduler.runAt(nextAttemptAt, internal.alerts.deliver.deliverChannel, {
      channelId: channel._id,
    });
  },
});

/** What the channel receives for a row: the webhook or Slack body. */
export function bodyOf(
  kind: Doc<"alertChannels">["kind"],
  channelName: string,
  row: Doc<"alertOutbox">,
): string {
  if (kind === "slack") return JSON.stringify(slackBody(row.notice));
  return JSON.stringify(
    alertmanagerBody({
      receiver: channelName,
      groupKey: row.groupKey,
      groupLabels: {
        alertname: row.notice.labels.alertname ?? "",
        deployment: row.notice.labels.deployment ?? "",
      },
      externalURL: consoleLink("/alerts"),
      alerts: [row.notice],
    }),
  );
}

export const deliverChannel = internalAction({
  args: { channelId: v.id("alertChannels") },
  handler: async (ctx, { channelId }) => {
    for (let sent = 0; sent < ROWS_PER_RUN; sent++) {
      const claimed = await ctx.runMutation(internal.alerts.deliver.claim, { channelId });
      if (claimed === null) return;
      const { row, channel } = claimed;
      let httpStatus: number | null = null;
      let error: string | null = null;
      try {
        const url = await openSecret(channel.url, urlPurpose(channel.name), "alert channel URL");
        const body = new TextEncoder().encode(bodyOf(channel.kind, channel.name, row));
        const headers: Record<string, string> = {
          "content-type": "application/json",
          [DEDUPE_HEADER]: row.dedupeKey,
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
      await ctx.runMutation(internal.alerts.deliver.record, { outboxId: row._id, httpStatus, error });
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
