import { v } from "convex/values";
import type { Doc } from "../_generated/dataModel";
import { env } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { adminMutation, internalQuery, viewerQuery } from "../lib/functions";
import { isSealed } from "../lib/secretBox";
import { maskSecret, openSecret, sealSecret, SECRETS_KEY_VARIABLE } from "../lib/secrets";
import { acceptedSecretsAt } from "./model/logStream";
import { DEFAULT_METRIC_SETTINGS } from "../settings/read";

/** Convex generates 32 hex characters; self-hosted setups may use longer secrets. */
const SECRET_PATTERN = /^[\x21-\x7e]{16,256}$/;

/** What the stored secrets are sealed for (current and previous alike: a rotation moves one to the other). */
const PURPOSE = "log-stream-webhook-secret";
const WHAT = "webhook secret";

/** A stored secret's plaintext, or null when it cannot be used (from before encryption, or another key). */
const openStored = (sealed: string) => openSecret(sealed, PURPOSE, WHAT).catch(() => null);

/**
 * Secrets a signature may match right now: see acceptedSecretsAt for which and until when. A
 * stored secret that cannot be decrypted verifies nothing; Settings says to paste it again.
 */
export const acceptedSecrets = internalQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("logStreamSecrets").first();
    const problem = storedSecretProblem(stored);
    // A stored secret that cannot be read verifies nothing, so it is not listed as accepted.
    const accepted = acceptedSecretsAt(stored, env.LOG_STREAM_WEBHOOK_SECRET, Date.now()).filter(
      (entry) => problem === null || entry.which === "environment",
    );
    const secrets = await Promise.all(
      accepted.map(async (entry) =>
        entry.which === "environment" ? entry.secret : await openStored(entry.secret),
      ),
    );
    return secrets.filter((secret): secret is string => secret !== null);
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
    const sealed = await sealSecret(secret, PURPOSE);
    const now = Date.now();
    const rotated = stored !== null && (await openStored(stored.current)) !== secret;
    if (stored === null) {
      await ctx.db.insert("logStreamSecrets", {
        current: sealed,
        currentMasked: maskSecret(secret),
        previous: null,
        previousValidUntil: null,
        // Batches already signed with the environment's secret keep verifying through the grace period.
        environmentValidUntil: env.LOG_STREAM_WEBHOOK_SECRET
          ? now + DEFAULT_METRIC_SETTINGS.rotationGraceMs
          : null,
        rotatedAt: now,
        rotatedBy: ctx.user.email,
      });
    } else if (rotated) {
      // A plaintext secret from before encryption is dropped rather than kept as the previous one.
      const keepPrevious = isSealed(stored.current);
      await ctx.db.patch("logStreamSecrets", stored._id, {
        current: sealed,
        currentMasked: maskSecret(secret),
        previous: keepPrevious ? stored.current : null,
        previousMasked: keepPrevious ? maskedCurrent(stored) : null,
        previousValidUntil: keepPrevious ? now + DEFAULT_METRIC_SETTINGS.rotationGraceMs : null,
        rotatedAt: now,
        rotatedBy: ctx.user.email,
      });
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "logstream.secret_set",
      target: "log stream webhook",
      details: { secret: maskSecret(secret), rotated },
    });
  },
});

/** `••••last4` of the stored secrets, kept when they were set so showing them never needs decrypting. */
const maskedCurrent = (stored: Doc<"logStreamSecrets">) => stored.currentMasked ?? maskSecret(stored.current);
const maskedPrevious = (stored: Doc<"logStreamSecrets">) =>
  stored.previousMasked ?? (stored.previous === null ? "" : maskSecret(stored.previous));

/** Why the stored secret verifies nothing, as the sentence Settings shows; null when it is usable. */
function storedSecretProblem(stored: Doc<"logStreamSecrets"> | null): string | null {
  if (stored === null) return null;
  if (!env[SECRETS_KEY_VARIABLE]?.trim()) {
    return `${SECRETS_KEY_VARIABLE} is not set on this console's deployment, so the stored webhook secret cannot be read and no batch verifies with it: set it, then paste the secret again.`;
  }
  if (!isSealed(stored.current)) {
    return "The stored webhook secret was saved before secrets were encrypted and no longer verifies: paste it again.";
  }
  return null;
}

const MAX_DEPLOYMENTS_LISTED = 50;

/** Whether a secret is configured and what each watched deployment last sent. */
export const status = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("logStreamSecrets").first();
    const deployments = await ctx.db.query("watchedDeployments").take(MAX_DEPLOYMENTS_LISTED);
    const problem = storedSecretProblem(stored);
    // A stored secret that cannot be read verifies nothing, so it is not listed as accepted.
    const accepted = acceptedSecretsAt(stored, env.LOG_STREAM_WEBHOOK_SECRET, Date.now()).filter(
      (entry) => problem === null || entry.which === "environment",
    );
    return {
      /** Exactly the secrets a signature may match now, masked, and until when. */
      accepted: accepted.map(({ which, secret, until }) => ({
        which,
        masked:
          which === "environment"
            ? maskSecret(secret)
            : which === "current"
              ? maskedCurrent(stored!)
              : maskedPrevious(stored!),
        until,
      })),
      /** The stored secret cannot be used: a sentence telling the admin to paste it again. */
      problem,
      /** The environment variable is set but no longer verifies: a secret set in Settings replaced it. */
      environmentRetired:
        stored !== null &&
        Boolean(env.LOG_STREAM_WEBHOOK_SECRET?.trim()) &&
        !accepted.some((entry) => entry.which === "environment"),
      secret:
        stored !== null
          ? {
              source: "settings" as const,
              masked: maskedCurrent(stored),
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
