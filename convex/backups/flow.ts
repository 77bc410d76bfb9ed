/**
 * A backup's steps, each a scheduled internal action that records its progress in the backup
 * document the page subscribes to: request the export, follow it, copy the ZIP off the source into
 * the console's own storage (streamed and hashed, never held whole), verify the stored copy. Every
 * failure moves the backup to `failed` with the step, the reason as a sentence, and what to do.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import {
  deploymentClient,
  isConsoleDeployment,
  isSameDeployment,
  nanosToMillis,
  type DeploymentClient,
} from "../deployment/read";
import { recordAudit } from "../lib/audit";
import { sentenceOf } from "../lib/errors";
import { internalAction, internalMutation, internalQuery } from "../lib/functions";
import { byteCounter, hashingCounter, throttled, withoutConsoleCredentials } from "./copy";
import {
  BackupTransitionError,
  eventForExport,
  isFinal,
  transition,
  type BackupEvent,
  type BackupState,
  type BackupStep,
} from "./model/states";
import { verifySnapshotZip } from "../lib/snapshot/verify";
import { auditBackup } from "./store";
import { backupFindingsFields } from "./tables";

/** Polling Convex's export record: from 1 s, growing by half each time, up to 15 s. */
export function pollDelayMs(attempt: number): number {
  return Math.min(15_000, Math.round(1000 * 1.5 ** attempt));
}
/** Progress updates while copying: often enough to look live, rare enough to stay cheap. */
const COPY_PROGRESS_INTERVAL_MS = 2000;

export const get = internalQuery({
  args: { backupId: v.id("backups") },
  handler: async (ctx, args) => await ctx.db.get("backups", args.backupId),
});

const patchValidator = v.object(backupFindingsFields);

/**
 * Moves a backup through the state machine and records the fields the step learned. Returns false
 * when the event no longer fits (e.g. the backup was canceled meanwhile): the step then stops.
 */
export const applyEvent = internalMutation({
  args: { backupId: v.id("backups"), event: v.any(), patch: v.optional(patchValidator) },
  handler: async (ctx, args) => {
    const backup = await ctx.db.get("backups", args.backupId);
    if (backup === null) return false;
    let next: BackupState;
    try {
      next = transition(backup.status as BackupState, args.event as BackupEvent);
    } catch (error) {
      if (error instanceof BackupTransitionError) return false;
      throw error;
    }
    // A backup being verified again stays restorable until the new verification says otherwise.
    const restorable =
      next.state === "verified"
        ? (args.patch?.takenAt ?? backup.takenAt)
        : next.state === "verifying"
          ? backup.restorableTakenAt
          : undefined;
    // Every step reports through here, so this is the heartbeat the watchdog reads.
    await ctx.db.patch("backups", backup._id, {
      ...args.patch,
      status: next,
      restorableTakenAt: restorable,
      ...(isFinal(next) ? { finishedAt: Date.now(), progressAt: undefined } : { progressAt: Date.now() }),
    });
    if (isFinal(next) && !isFinal(backup.status as BackupState)) {
      await auditBackup(ctx, null, "backup.finished", backup, {
        state: next.state,
        reason: "reason" in next ? next.reason : null,
      });
    }
    return true;
  },
});

async function fail(ctx: ActionCtx, backupId: Id<"backups">, step: BackupStep, reason: string) {
  await ctx.runMutation(internal.backups.flow.applyEvent, {
    backupId,
    event: { type: "stepFailed", step, reason } satisfies BackupEvent,
  });
}

/** The backup if it is in one of `states`, and a client for its deployment; null when it stopped. */
async function load(
  ctx: ActionCtx,
  backupId: Id<"backups">,
  states: BackupState["state"][],
  step: BackupStep,
): Promise<{ backup: Doc<"backups">; client: DeploymentClient } | null> {
  const backup: Doc<"backups"> | null = await ctx.runQuery(internal.backups.flow.get, { backupId });
  if (backup === null || !states.includes(backup.status.state)) return null;
  const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
  if (connection === null) {
    await fail(ctx, backupId, step, "No deployment is connected any more: an admin removed its settings.");
    return null;
  }
  return { backup, client: deploymentClient(connection) };
}

export const requestExport = internalAction({
  args: { backupId: v.id("backups") },
  handler: async (ctx, { backupId }): Promise<void> => {
    const loaded = await load(ctx, backupId, ["requested"], "export");
    if (loaded === null) return;
    const { backup, client } = loaded;
    try {
      await client.requestExport({ includeStorage: backup.includeStorage });
    } catch (error) {
      const code = error instanceof ConvexError ? (error.data as { code?: string }).code : undefined;
      if (code !== "EXPORT_IN_PROGRESS") return await fail(ctx, backupId, "export", sentenceOf(error));
      // Someone else's export is running. Following it gives the same snapshot a new one would,
      // as long as it includes file storage exactly when this backup asked for it.
      const running = await client.getLatestExport().catch(() => null);
      const followable =
        running !== null &&
        (running.state === "requested" || running.state === "in_progress") &&
        running.includeStorage === backup.includeStorage;
      if (!followable) return await fail(ctx, backupId, "export", sentenceOf(error));
    }
    await ctx.runMutation(internal.backups.flow.applyEvent, {
      backupId,
      event: { type: "exportProgress", progressMessage: null } satisfies BackupEvent,
    });
    await ctx.scheduler.runAfter(pollDelayMs(0), internal.backups.flow.followExport, {
      backupId,
      attempt: 0,
    });
  },
});

export const followExport = internalAction({
  args: { backupId: v.id("backups"), attempt: v.number() },
  handler: async (ctx, { backupId, attempt }): Promise<void> => {
    const loaded = await load(ctx, backupId, ["requested", "exporting"], "export");
    if (loaded === null) return;
    let latest;
    try {
      latest = await loaded.client.getLatestExport();
    } catch (error) {
      return await fail(ctx, backupId, "export", sentenceOf(error));
    }
    if (latest === null) {
      return await fail(
        ctx,
        backupId,
        "export",
        "The deployment accepted the export request but shows no export.",
      );
    }
    const event = eventForExport(latest);
    const patch =
      latest.state === "completed"
        ? {
            exportStartTs: latest.startTs.toString(),
            takenAt: nanosToMillis(latest.startTs),
            exportExpiresAt: nanosToMillis(latest.expirationTs),
          }
        : latest.state === "in_progress"
          ? { exportStartTs: latest.startTs.toString() }
          : {};
    const applied: boolean = await ctx.runMutation(internal.backups.flow.applyEvent, {
      backupId,
      event,
      patch,
    });
    if (!applied) return;
    if (latest.state === "completed") {
      await ctx.scheduler.runAfter(0, internal.backups.flow.copyToStorage, { backupId });
    } else if (latest.state === "requested" || latest.state === "in_progress") {
      await ctx.scheduler.runAfter(pollDelayMs(attempt + 1), internal.backups.flow.followExport, {
        backupId,
        attempt: attempt + 1,
      });
    }
  },
});

class CopyStopped extends Error {}

export const copyToStorage = internalAction({
  args: { backupId: v.id("backups") },
  handler: async (ctx, { backupId }): Promise<void> => {
    const loaded = await load(ctx, backupId, ["copying"], "copy");
    if (loaded === null) return;
    const { backup, client } = loaded;
    let storageId: Id<"_storage"> | null = null;
    try {
      const download = await client.downloadExport(BigInt(backup.exportStartTs!));
      const counter = hashingCounter(
        throttled(COPY_PROGRESS_INTERVAL_MS, Date.now, async (bytesCopied) => {
          const stillWanted: boolean = await ctx.runMutation(internal.backups.flow.applyEvent, {
            backupId,
            event: { type: "copyProgress", bytesCopied } satisfies BackupEvent,
          });
          if (!stillWanted) throw new CopyStopped();
        }),
      );
      const downloaded = byteCounter();
      const source = download.body.pipeThrough(downloaded.stream);
      // A backup of the console itself is stored without sessions, refresh tokens and password
      // hashes: whoever gets the file must not be able to sign in with it.
      const stored = isConsoleDeployment(backup.deploymentUrl)
        ? withoutConsoleCredentials(source, new Date(backup.takenAt ?? Date.now()))
        : source;
      const uploadUrl = await ctx.storage.generateUploadUrl();
      const response = await fetch(uploadUrl, {
        method: "POST",
        headers: { "Content-Type": "application/zip" },
        body: stored.pipeThrough(counter.stream),
        // A streamed request body needs half-duplex in the fetch standard.
        duplex: "half",
      } as RequestInit);
      if (!response.ok) {
        return await fail(
          ctx,
          backupId,
          "copy",
          `The console's file storage refused the copy (HTTP ${response.status}).`,
        );
      }
      storageId = ((await response.json()) as { storageId: Id<"_storage"> }).storageId;
      if (download.contentLength !== null && downloaded.bytes() !== download.contentLength) {
        await ctx.storage.delete(storageId);
        return await fail(
          ctx,
          backupId,
          "copy",
          `The download ended after ${downloaded.bytes()} of ${download.contentLength} bytes.`,
        );
      }
      const bytes = counter.bytes();
      const applied: boolean = await ctx.runMutation(internal.backups.flow.applyEvent, {
        backupId,
        event: { type: "copied" } satisfies BackupEvent,
        patch: { storageId, sizeBytes: bytes, sha256: counter.digest() },
      });
      if (!applied) {
        await ctx.storage.delete(storageId);
        return;
      }
    } catch (error) {
      if (storageId !== null) await ctx.storage.delete(storageId).catch(() => {});
      if (error instanceof CopyStopped || (error as { cause?: unknown })?.cause instanceof CopyStopped)
        return;
      const current: Doc<"backups"> | null = await ctx.runQuery(internal.backups.flow.get, { backupId });
      if (current?.status.state === "canceled") return;
      return await fail(ctx, backupId, "copy", sentenceOf(error));
    }
    await ctx.scheduler.runAfter(0, internal.backups.flow.verifyStored, { backupId });
  },
});

export const verifyStored = internalAction({
  args: { backupId: v.id("backups") },
  handler: async (ctx, { backupId }): Promise<void> => {
    const backup: Doc<"backups"> | null = await ctx.runQuery(internal.backups.flow.get, { backupId });
    if (backup === null || backup.status.state !== "verifying") return;
    try {
      const url: string | null = backup.storageId ? await ctx.storage.getUrl(backup.storageId) : null;
      if (url === null) {
        return await fail(ctx, backupId, "verify", "The console's stored copy of this backup is missing.");
      }
      const response = await fetch(url);
      if (!response.ok || response.body === null) {
        return await fail(
          ctx,
          backupId,
          "verify",
          `The stored copy could not be read (HTTP ${response.status}).`,
        );
      }
      const result = await verifySnapshotZip(response.body, {
        expectStorage: backup.includeStorage,
        expectedSha256: backup.sha256,
        expectedSize: backup.sizeBytes,
      });
      const counts = {
        tables: result.tables,
        totalRows: result.totalRows,
        storageFiles: result.storageFiles,
      };
      await ctx.runMutation(internal.backups.flow.applyEvent, {
        backupId,
        event: (result.ok
          ? { type: "verificationPassed" }
          : { type: "verificationFoundProblem", reason: result.reason }) satisfies BackupEvent,
        patch: result.ok ? { ...counts, verifiedAt: Date.now() } : counts,
      });
    } catch (error) {
      await fail(ctx, backupId, "verify", sentenceOf(error));
    }
  },
});

/** Asks the deployment to stop an export the console no longer wants. */
export const cancelExport = internalAction({
  args: { exportStartTs: v.optional(v.string()) },
  handler: async (ctx, args): Promise<void> => {
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null) return;
    const client = deploymentClient(connection, { retries: 1 });
    try {
      let snapshotId = args.exportStartTs;
      if (snapshotId === undefined) {
        const latest = await client.getLatestExport();
        if (latest?.state === "in_progress") snapshotId = latest.startTs.toString();
      }
      if (snapshotId !== undefined) await client.cancelExport(snapshotId);
    } catch {
      // The export may have finished meanwhile; Convex then keeps it until it expires, which is harmless.
    }
  },
});

/**
 * How soon Convex's copy of a deleted backup's export expires: a minute ahead, because Convex may
 * refuse an expiry in the past. It purges expired exports later on its own schedule.
 */
const EXPIRE_SOURCE_EXPORT_IN_MS = 60_000;

export const expireSourceExport = internalAction({
  args: { exportStartTs: v.string(), deploymentUrl: v.string(), backupName: v.string() },
  handler: async (ctx, args): Promise<void> => {
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    let outcome: { result: "expired" | "skipped" | "failed"; reason: string | null };
    if (connection === null || !isSameDeployment(args.deploymentUrl, [connection.url])) {
      outcome = {
        result: "skipped",
        reason:
          "The backup's source deployment is no longer the connected one; Convex expires the export on its own date.",
      };
    } else {
      try {
        const expiresAtNs = BigInt(Date.now() + EXPIRE_SOURCE_EXPORT_IN_MS) * 1_000_000n;
        await deploymentClient(connection, { retries: 2 }).setExportExpiration(
          args.exportStartTs,
          expiresAtNs,
        );
        outcome = { result: "expired", reason: null };
      } catch (error) {
        outcome = {
          result: "failed",
          reason: `${sentenceOf(error)} Convex keeps its copy until the export's own expiry date.`,
        };
      }
    }
    await ctx.runMutation(internal.backups.flow.recordExportExpiry, {
      backupName: args.backupName,
      ...outcome,
    });
  },
});

export const recordExportExpiry = internalMutation({
  args: {
    backupName: v.string(),
    result: v.union(v.literal("expired"), v.literal("skipped"), v.literal("failed")),
    reason: v.union(v.string(), v.null()),
  },
  handler: async (ctx, args) => {
    await recordAudit(ctx, {
      actor: null,
      action: "backup.export_expired",
      target: args.backupName,
      details: { result: args.result, reason: args.reason },
    });
  },
});
