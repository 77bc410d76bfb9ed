import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { QueryCtx } from "../_generated/server";
import { env } from "../_generated/server";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import {
  adminMutation,
  internalAction,
  internalMutation,
  internalQuery,
  viewerQuery,
} from "../lib/functions";
import { maskSecret } from "../lib/secrets";
import { deploymentClient } from "./client";
import { deploymentNameFromUrl } from "./model/errors";
import {
  deployKeyProblem,
  deploymentUrlProblem,
  isSameDeployment,
  normalizeDeploymentUrl,
  resolveConnection,
  type ResolvedConnection,
} from "./model/connection";
import { connectionTestValidator } from "./tables";

/** The connection the console acts on, with its key: for internal functions only. */
export async function loadConnection(ctx: QueryCtx): Promise<(ResolvedConnection & { name: string }) | null> {
  const stored = await ctx.db.query("deploymentConnection").first();
  const key = await ctx.db.query("deploymentKeys").first();
  const resolved = resolveConnection(
    stored !== null && key !== null ? { url: stored.url, deployKey: key.key } : null,
    env,
  );
  return resolved === null ? null : { ...resolved, name: deploymentNameFromUrl(resolved.url) };
}

/** True when the connected deployment is the deployment this console itself runs on. */
export function isConsoleDeployment(url: string): boolean {
  return isSameDeployment(url, [env.CONVEX_CLOUD_URL]);
}

/** Internal actions read the connection (with the key) through this, never through a public query. */
export const connectionForActions = internalQuery({
  args: {},
  handler: async (ctx) => await loadConnection(ctx),
});

/** What a browser may know about the connection: never the key, only its last four characters. */
export const status = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const stored = await ctx.db.query("deploymentConnection").first();
    const connection = await loadConnection(ctx);
    if (connection === null) return null;
    return {
      source: connection.source,
      url: connection.url,
      name: connection.name,
      maskedKey: maskSecret(connection.deployKey),
      isConsoleItself: isConsoleDeployment(connection.url),
      updatedAt: connection.source === "settings" ? (stored?.updatedAt ?? null) : null,
      updatedBy: connection.source === "settings" ? (stored?.updatedBy ?? null) : null,
      test: stored?.test ?? null,
    };
  },
});

/**
 * Sets the URL and, when given, a new deploy key. The key may be left out to change only the URL
 * once one is stored; a rotation replaces the stored key at once.
 */
export const setConnection = adminMutation({
  args: { url: v.string(), deployKey: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const url = normalizeDeploymentUrl(args.url);
    const urlProblem = deploymentUrlProblem(url);
    if (urlProblem) throw appError("VALIDATION_ERROR", urlProblem);
    const newKey = args.deployKey?.trim();
    if (newKey !== undefined) {
      const keyProblem = deployKeyProblem(newKey);
      if (keyProblem) throw appError("VALIDATION_ERROR", keyProblem);
    }
    const stored = await ctx.db.query("deploymentConnection").first();
    const key = await ctx.db.query("deploymentKeys").first();
    if (newKey === undefined && key === null) {
      throw appError("VALIDATION_ERROR", "Paste the deploy key too: none is stored yet.");
    }
    const now = Date.now();
    const row = { url, updatedAt: now, updatedBy: ctx.user.email };
    if (stored === null) await ctx.db.insert("deploymentConnection", row);
    else await ctx.db.replace("deploymentConnection", stored._id, row);
    const rotated = newKey !== undefined && key !== null && key.key !== newKey;
    if (newKey !== undefined) {
      const keyRow = { key: newKey, setAt: now, setBy: ctx.user.email };
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
        key: maskSecret(newKey ?? key!.key),
        keyChanged: newKey !== undefined && key?.key !== newKey,
        rotated,
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
      details: { key: key ? maskSecret(key.key) : null },
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
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null) return;
    const client = deploymentClient(connection, { retries: 1 });
    let test;
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
