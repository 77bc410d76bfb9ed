import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { env } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError, type ErrorData } from "../lib/errors";
import {
  adminMutation,
  internalAction,
  internalMutation,
  internalQuery,
  viewerQuery,
} from "../lib/functions";
import { isSealed } from "../lib/secretBox";
import { maskSecret, openSecret, sealSecret, SECRETS_KEY_VARIABLE } from "../lib/secrets";
import { deploymentClient } from "./client";
import { deploymentNameFromUrl } from "./model/errors";
import {
  deployKeyProblem,
  deployKeyPurpose,
  type ConnectionSource,
  deploymentUrlProblem,
  isSameDeployment,
  normalizeDeploymentUrl,
  resolveConnection,
  type ResolvedConnection,
} from "./model/connection";
import { connectionTestValidator } from "./tables";

const KEY_WHAT = "deploy key";

async function storedConnection(ctx: QueryCtx) {
  const stored = await ctx.db.query("deploymentConnection").first();
  const key = await ctx.db.query("deploymentKeys").first();
  const resolved = resolveConnection(
    stored !== null && key !== null ? { url: stored.url, deployKey: key.key } : null,
    env,
  );
  return { stored, key, resolved };
}

/** How a stored key is shown: its last four characters, kept beside the ciphertext when it was set. */
const maskedStoredKey = (key: Doc<"deploymentKeys">) => key.masked ?? maskSecret(key.key);

/**
 * The connection the console acts on, without its key: queries and mutations need only where it
 * points. The key is decrypted in `connectionForActions` alone.
 */
export async function loadConnection(
  ctx: QueryCtx,
): Promise<{ url: string; source: ConnectionSource; name: string; maskedKey: string } | null> {
  const { key, resolved } = await storedConnection(ctx);
  if (resolved === null) return null;
  return {
    url: resolved.url,
    source: resolved.source,
    name: deploymentNameFromUrl(resolved.url),
    maskedKey:
      resolved.source === "settings" && key !== null ? maskedStoredKey(key) : maskSecret(resolved.deployKey),
  };
}

/** True when the connected deployment is the deployment this console itself runs on. */
export function isConsoleDeployment(url: string): boolean {
  return isSameDeployment(url, [env.CONVEX_CLOUD_URL]);
}

/**
 * Internal actions read the connection (with the key) through this, never through a public query.
 * A key set in Settings is decrypted for the URL stored beside it: if that URL is not the one the
 * key was entered with, decryption fails and nothing is sent anywhere.
 */
export const connectionForActions = internalQuery({
  args: {},
  handler: async (ctx): Promise<(ResolvedConnection & { name: string }) | null> => {
    const { resolved } = await storedConnection(ctx);
    if (resolved === null) return null;
    const deployKey =
      resolved.source === "settings"
        ? await openSecret(resolved.deployKey, deployKeyPurpose(resolved.url), KEY_WHAT)
        : resolved.deployKey;
    return { ...resolved, deployKey, name: deploymentNameFromUrl(resolved.url) };
  },
});

/** Why a stored key will not be used, before anyone tries: it predates encryption, or the env key is gone. */
function storedKeyProblem(key: Doc<"deploymentKeys"> | null): string | null {
  if (key === null) return null;
  if (!env[SECRETS_KEY_VARIABLE]?.trim()) {
    return `${SECRETS_KEY_VARIABLE} is not set on this console's deployment, so the stored deploy key cannot be read: set it, then paste the key again.`;
  }
  if (!isSealed(key.key)) {
    return "The stored deploy key was saved before secrets were encrypted and is no longer used: paste it again.";
  }
  return null;
}

/** What a browser may know about the connection: never the key, only its last four characters. */
export const status = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const { stored, key } = await storedConnection(ctx);
    const connection = await loadConnection(ctx);
    if (connection === null) return null;
    return {
      source: connection.source,
      url: connection.url,
      name: connection.name,
      maskedKey: connection.maskedKey,
      keyProblem: connection.source === "settings" ? storedKeyProblem(key) : null,
      isConsoleItself: isConsoleDeployment(connection.url),
      updatedAt: connection.source === "settings" ? (stored?.updatedAt ?? null) : null,
      updatedBy: connection.source === "settings" ? (stored?.updatedBy ?? null) : null,
      test: stored?.test ?? null,
    };
  },
});

/**
 * Sets the URL and, when given, a new deploy key, stored encrypted and bound to that URL. The key
 * may be left out only while the URL stays the same: a stored key is never sent to a URL it was not
 * entered with. A rotation replaces the stored key at once.
 */
export const setConnection = adminMutation({
  args: { url: v.string(), deployKey: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const url = normalizeDeploymentUrl(args.url);
    const urlProblem = deploymentUrlProblem(url);
    if (urlProblem) throw appError("VALIDATION_ERROR", urlProblem);
    const newKey = args.deployKey?.trim() || undefined;
    if (newKey !== undefined) {
      const keyProblem = deployKeyProblem(newKey);
      if (keyProblem) throw appError("VALIDATION_ERROR", keyProblem);
    }
    const stored = await ctx.db.query("deploymentConnection").first();
    const key = await ctx.db.query("deploymentKeys").first();
    if (newKey === undefined && key === null) {
      throw appError("VALIDATION_ERROR", "Paste the deploy key too: none is stored yet.");
    }
    if (newKey === undefined && (stored === null || normalizeDeploymentUrl(stored.url) !== url)) {
      throw appError(
        "VALIDATION_ERROR",
        `A new deployment URL needs its deploy key in the same step: paste the key for ${deploymentNameFromUrl(url)}. The stored key is only ever sent to the URL it was entered with.`,
      );
    }
    const now = Date.now();
    const row = { url, updatedAt: now, updatedBy: ctx.user.email };
    if (stored === null) await ctx.db.insert("deploymentConnection", row);
    else await ctx.db.replace("deploymentConnection", stored._id, row);
    // Whether the key really changed, for the audit: the old one is compared where it can still be read.
    const previousKey =
      newKey !== undefined && key !== null && stored !== null && isSealed(key.key)
        ? await openSecret(key.key, deployKeyPurpose(stored.url), KEY_WHAT).catch(() => null)
        : null;
    const keyChanged = newKey !== undefined && previousKey !== newKey;
    if (newKey !== undefined) {
      const keyRow = {
        key: await sealSecret(newKey, deployKeyPurpose(url)),
        masked: maskSecret(newKey),
        setAt: now,
        setBy: ctx.user.email,
      };
      if (key === null) await ctx.db.insert("deploymentKeys", keyRow);
      else await ctx.db.replace("deploymentKeys", key._id, keyRow);
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "deployment.connection_set",
      target: deploymentNameFromUrl(url),
      details: {
        url,
        previousUrl: stored?.url ?? null,
        key: newKey !== undefined ? maskSecret(newKey) : maskedStoredKey(key!),
        keyChanged,
        rotated: keyChanged && key !== null,
      },
    });
  },
});

/** Forgets the URL and key set in Settings (an environment connection, if any, applies again). */
export const disconnect = adminMutation({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("deploymentConnection").first();
    const key = await ctx.db.query("deploymentKeys").first();
    if (stored === null && key === null) return;
    if (stored) await ctx.db.delete("deploymentConnection", stored._id);
    if (key) await ctx.db.delete("deploymentKeys", key._id);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "deployment.disconnected",
      target: stored ? deploymentNameFromUrl(stored.url) : "connected deployment",
      details: { key: key ? maskedStoredKey(key) : null },
    });
  },
});

/** Asks the deployment for its latest export with the stored key; the result lands on the page. */
export const testConnection = adminMutation({
  args: {},
  handler: async (ctx) => {
    const connection = await loadConnection(ctx);
    if (connection === null)
      throw appError("NOT_FOUND", "No deployment is connected yet: set its URL and deploy key first.");
    const test = {
      state: "running" as const,
      sentence: `Asking ${connection.name}…`,
      at: Date.now(),
      by: ctx.user.email,
    };
    const stored = await ctx.db.query("deploymentConnection").first();
    if (stored === null) {
      // An environment connection has no row yet; one is made to hold the test result only.
      await ctx.db.insert("deploymentConnection", {
        url: connection.url,
        updatedAt: 0,
        updatedBy: "environment",
        test,
      });
    } else await ctx.db.patch("deploymentConnection", stored._id, { test });
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "deployment.connection_tested",
      target: connection.name,
    });
    await ctx.scheduler.runAfter(0, internal.deployment.connection.runTest, { by: ctx.user.email });
  },
});

export const runTest = internalAction({
  args: { by: v.string() },
  handler: async (ctx, args): Promise<void> => {
    let test;
    try {
      // Throws a sentence when the stored key cannot be decrypted for the stored URL: then nothing is sent.
      const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
      if (connection === null) return;
      const client = deploymentClient(connection, { retries: 1 });
      try {
        const latest = await client.getLatestExport();
        test = {
          state: "ok" as const,
          sentence:
            latest === null
              ? `Connected to ${client.deployment}: the key is accepted; it has no snapshot export yet.`
              : `Connected to ${client.deployment}: the key is accepted; its latest export is ${latest.state.replace("_", " ")}.`,
        };
      } catch (error) {
        const data = (error as { data?: { message?: string } }).data;
        test = {
          state: "failed" as const,
          sentence: data?.message ?? `Could not reach ${client.deployment}.`,
        };
      }
    } catch (error) {
      if (!(error instanceof ConvexError)) throw error;
      test = { state: "failed" as const, sentence: (error.data as ErrorData).message };
    }
    await ctx.runMutation(internal.deployment.connection.recordTest, {
      test: { ...test, at: Date.now(), by: args.by },
    });
  },
});

export const recordTest = internalMutation({
  args: { test: connectionTestValidator },
  handler: async (ctx, args) => {
    const stored = await ctx.db.query("deploymentConnection").first();
    if (stored !== null) await ctx.db.patch("deploymentConnection", stored._id, { test: args.test });
  },
});
