import { maskSecret } from "../lib/secrets";
import { v } from "convex/values";
import { env } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, internalQuery, viewerQuery } from "../lib/functions";
import { acceptedSecretsAt } from "./model/logStream";
import { DEFAULT_METRIC_SETTINGS } from "../settings/read";

/** Convex generates 32 hex characters; self-hosted setups may use longer secrets. */
const SECRET_PATTERN = /^[\x21-\x7e]{16,256}$/;

/** What a browser may see of a secret: enough to recognise it, never enough to use it. */
/** Secrets a signature may match right now: see acceptedSecretsAt for which and until when. */
export const acceptedSecrets = internalQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("logStreamSecrets").first();
    return acceptedSecretsAt(stored, env.LOG_STREAM_WEBHOOK_SECRET, Date.now()).map((entry) => entry.secret);
  },
});

export const setSecret = adminMutation({
  args: { secret: v.string() },
  handler: async (ctx, args) => {
    const secret = args.secret.trim();
    if (!SECRET_PATTERN.test(secret)) {
      throw appError(
        "VALIDATION_ERROR",
        "Paste the webhook secret Convex shows for this log stream: 16 to 256 characters, no spaces.",
      );
    }
    const stored = await ctx.db.query("logStreamSecrets").first();
    const now = Date.now();
    if (stored === null) {
      await ctx.db.insert("logStreamSecrets", {
        current: secret,
        previous: null,
        previousValidUntil: null,
        // Batches already signed with the environment's secret keep verifying through the grace period.
        environmentValidUntil: env.LOG_STREAM_WEBHOOK_SECRET
          ? now + DEFAULT_METRIC_SETTINGS.rotationGraceMs
          : null,
        rotatedAt: now,
        rotatedBy: ctx.user.email,
      });
    } else if (stored.current !== secret) {
      await ctx.db.patch("logStreamSecrets", stored._id, {
        current: secret,
        previous: stored.current,
        previousValidUntil: now + DEFAULT_METRIC_SETTINGS.rotationGraceMs,
        rotatedAt: now,
        rotatedBy: ctx.user.email,
      });
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "logstream.secret_set",
      target: "log stream webhook",
      details: { secret: maskSecret(secret), rotated: stored !== null && stored.current !== secret },
    });
  },
});

const MAX_DEPLOYMENTS_LISTED = 50;

/** Whether a secret is configured and what each watched deployment last sent. */
export const status = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("logStreamSecrets").first();
    const deployments = await ctx.db.query("watchedDeployments").take(MAX_DEPLOYMENTS_LISTED);
    const accepted = acceptedSecretsAt(stored, env.LOG_STREAM_WEBHOOK_SECRET, Date.now());
    return {
      /** Exactly the secrets a signature may match now, masked, and until when. */
      accepted: accepted.map(({ which, secret, until }) => ({ which, masked: maskSecret(secret), until })),
      /** The environment variable is set but no longer verifies: a secret set in Settings replaced it. */
      environmentRetired:
        stored !== null &&
        Boolean(env.LOG_STREAM_WEBHOOK_SECRET?.trim()) &&
        !accepted.some((entry) => entry.which === "environment"),
      secret:
        stored !== null
          ? {
              source: "settings" as const,
              masked: maskSecret(stored.current),
              rotatedAt: stored.rotatedAt,
              rotatedBy: stored.rotatedBy,
              previousValidUntil:
                stored.previous !== null && (stored.previousValidUntil ?? 0) > Date.now()
                  ? stored.previousValidUntil
                  : null,
            }
          : env.LOG_STREAM_WEBHOOK_SECRET
            ? {
                source: "environment" as const,
                masked: maskSecret(env.LOG_STREAM_WEBHOOK_SECRET),
                rotatedAt: null,
                rotatedBy: null,
                previousValidUntil: null,
              }
            : null,
      deployments: deployments.map((deployment) => ({
        name: deployment.name,
        type: deployment.type,
        projectSlug: deployment.projectSlug,
        firstEventAt: deployment.firstEventAt,
        lastEventAt: deployment.lastEventAt,
        lastVerificationAt: deployment.lastVerificationAt,
        eventsAccepted: deployment.eventsAccepted,
        duplicates: deployment.duplicates,
        replaysRejected: deployment.replaysRejected,
        unknownTopics: deployment.unknownTopics,
      })),
    };
  },
});
