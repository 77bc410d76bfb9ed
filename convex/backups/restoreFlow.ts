/**
 * A restore's steps after the admin typed the deployment's name: wait for the pre-restore backup to
 * be verified, stream the stored ZIP (filtered to the chosen tables when needed) to the deployment in
 * 5 MiB parts, finish the upload, and record Convex's summary of what the import creates and
 * deletes. There it stops: an admin reads the summary and presses Perform import (or Cancel); only
 * then is the import performed and followed to its rows written or its error.
 */
import { v } from "convex/values";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { deploymentClient, isConsoleDeployment } from "../deployment/read";
import { sentenceOf } from "../lib/errors";
import { internalAction } from "../lib/functions";
import { pollDelayMs } from "./flow";
import { appTablesOf, filteredSnapshotEntries, uploadParts } from "./model/restorePlan";
import { restoreFailure } from "./model/restoreStates";
import { zipChunks } from "../lib/snapshot/zipWriter";

async function fail(ctx: ActionCtx, restoreId: Id<"restores">, step: string, reason: string): Promise<void> {
  await ctx.runMutation(internal.backups.restore.update, {
    restoreId,
    status: restoreFailure(step, reason),
  });
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Writes the restore's current state again so the watchdog sees the step alive; false once it ended. */
async function heartbeat(
  ctx: ActionCtx,
  restoreId: Id<"restores">,
  status: Doc<"restores">["status"],
): Promise<boolean> {
  return await ctx.runMutation(internal.backups.restore.update, { restoreId, status });
}

export const afterPreRestore = internalAction({
  args: { restoreId: v.id("restores"), attempt: v.number() },
  handler: async (ctx, { restoreId, attempt }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.backups.restore.get, { restoreId });
    if (loaded === null || loaded.restore.status.state !== "backing_up") return;
    const state = loaded.preRestore?.status;
    if (state?.state === "verified") {
      await ctx.runMutation(internal.backups.restore.update, {
        restoreId,
        status: {
          state: "uploading",
          bytesUploaded: 0,
          totalBytes: loaded.restore.filtered ? null : (loaded.backup?.sizeBytes ?? null),
        },
      });
      await ctx.scheduler.runAfter(0, internal.backups.restoreFlow.upload, { restoreId });
      return;
    }
    if (state === undefined || ["unverifiable", "failed", "canceled"].includes(state.state)) {
      const why = state && "reason" in state ? ` (${state.reason})` : "";
      return await fail(
        ctx,
        restoreId,
        "pre-restore backup",
        `The pre-restore backup did not finish verified${why}.`,
      );
    }
    // Still backing up: the poll is the restore's heartbeat.
    const alive: boolean = await ctx.runMutation(internal.backups.restore.update, {
      restoreId,
      status: { state: "backing_up" },
    });
    if (!alive) return;
    await ctx.scheduler.runAfter(
      pollDelayMs(Math.min(attempt, 4)),
      internal.backups.restoreFlow.afterPreRestore,
      {
        restoreId,
        attempt: attempt + 1,
      },
    );
  },
});

export const upload = internalAction({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, { restoreId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.backups.restore.get, { restoreId });
    if (loaded === null || loaded.restore.status.state !== "uploading") return;
    const { restore, backup } = loaded;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, restoreId, "upload", "No deployment is connected any more.");
    // The rule is checked again where the bytes leave: the connection may have changed since the
    // restore was planned, and the console's own tables are never written.
    if (
      isConsoleDeployment(connection.url) &&
      (!restore.filtered || restore.mode !== "replace" || appTablesOf(restore.tables).skipped.length > 0)
    ) {
      return await fail(
        ctx,
        restoreId,
        "upload",
        "The connected deployment is now the console itself, and this restore was planned for another one: nothing was sent. Start the restore again.",
      );
    }
    const client = deploymentClient(connection);
    try {
      const url = backup?.storageId ? await ctx.storage.getUrl(backup.storageId) : null;
      if (url === null) return await fail(ctx, restoreId, "upload", "The backup's stored copy is missing.");
      const response = await fetch(url);
      if (!response.ok || response.body === null) {
        return await fail(
          ctx,
          restoreId,
          "upload",
          `The stored copy could not be read (HTTP ${response.status}).`,
        );
      }
      const zip = restore.filtered
        ? zipChunks(filteredSnapshotEntries(chunksOf(response.body), restore.tables), {
            modifiedAt: new Date(),
          })
        : chunksOf(response.body);
      const uploadToken = await client.startUpload();
      const partTokens: string[] = [];
      let bytesUploaded = 0;
      for await (const part of uploadParts(zip)) {
        partTokens.push(await client.uploadPart(uploadToken, partTokens.length + 1, part));
        bytesUploaded += part.length;
        const stillWanted: boolean = await ctx.runMutation(internal.backups.restore.update, {
          restoreId,
          status: {
            state: "uploading",
            bytesUploaded,
            totalBytes: restore.filtered ? null : (backup?.sizeBytes ?? null),
          },
        });
        // The watchdog ended it meanwhile; Convex discards an upload that is never finished.
        if (!stillWanted) return;
      }
      const importId = await client.finishUpload({
        import: { format: "zip", mode: restore.mode },
        uploadToken,
        partTokens,
      });
      await ctx.runMutation(internal.backups.restore.update, {
        restoreId,
        status: { state: "importing", progressMessage: "Convex is reading the upload…" },
        importId,
      });
    } catch (error) {
      return await fail(ctx, restoreId, "upload", sentenceOf(error));
    }
    await ctx.scheduler.runAfter(pollDelayMs(0), internal.backups.restoreFlow.followImport, {
      restoreId,
      attempt: 0,
    });
  },
});

export const followImport = internalAction({
  args: { restoreId: v.id("restores"), attempt: v.number() },
  handler: async (ctx, { restoreId, attempt }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.backups.restore.get, { restoreId });
    if (loaded === null || loaded.restore.importId === undefined) return;
    // Followed only while importing: not while the admin decides, nor once it ended.
    if (loaded.restore.status.state !== "importing") return;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, restoreId, "import", "No deployment is connected any more.");
    const client = deploymentClient(connection);
    const importId = loaded.restore.importId;
    try {
      const current = await client.getImport(importId);
      if (current === null)
        return await fail(ctx, restoreId, "import", "The deployment no longer knows this import.");
      switch (current.state.state) {
        case "waiting_for_confirmation":
          if (loaded.restore.confirmedBy === undefined) {
            // The pause: the admin reads Convex's summary and decides. No poll until they do.
            await ctx.runMutation(internal.backups.restore.update, {
              restoreId,
              status: { state: "waiting_for_confirmation" },
              messageToConfirm: current.state.messageToConfirm,
            });
            return;
          }
          // Confirmed, and Convex has not picked the import up yet.
          if (!(await heartbeat(ctx, restoreId, loaded.restore.status))) return;
          break;
        case "in_progress": {
          const moved: boolean = await ctx.runMutation(internal.backups.restore.update, {
            restoreId,
            status: { state: "importing", progressMessage: current.state.progressMessage },
          });
          if (!moved) return;
          break;
        }
        case "completed":
          await ctx.runMutation(internal.backups.restore.update, {
            restoreId,
            status: { state: "completed", rowsWritten: Number(current.state.numRowsWritten) },
          });
          return;
        case "failed":
          return await fail(
            ctx,
            restoreId,
            "import",
            current.state.errorMessage || "Convex reported the import as failed.",
          );
        case "uploaded":
          if (!(await heartbeat(ctx, restoreId, loaded.restore.status))) return;
          break;
      }
    } catch (error) {
      return await fail(ctx, restoreId, "import", sentenceOf(error));
    }
    await ctx.scheduler.runAfter(pollDelayMs(attempt + 1), internal.backups.restoreFlow.followImport, {
      restoreId,
      attempt: attempt + 1,
    });
  },
});

/** Performs the import the admin confirmed, then follows it. */
export const confirmImport = internalAction({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, { restoreId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.backups.restore.get, { restoreId });
    if (loaded === null || loaded.restore.importId === undefined) return;
    if (loaded.restore.status.state !== "importing" || loaded.restore.confirmedBy === undefined) return;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    if (connection === null)
      return await fail(ctx, restoreId, "import", "No deployment is connected any more.");
    try {
      await deploymentClient(connection).performImport(loaded.restore.importId);
    } catch (error) {
      return await fail(ctx, restoreId, "import", sentenceOf(error));
    }
    await ctx.scheduler.runAfter(pollDelayMs(0), internal.backups.restoreFlow.followImport, {
      restoreId,
      attempt: 0,
    });
  },
});

/**
 * Tells the deployment to drop the import an admin canceled. The restore is canceled either way:
 * an import that is never performed changes nothing, so a refusal is only noted.
 */
export const cancelImport = internalAction({
  args: { restoreId: v.id("restores") },
  handler: async (ctx, { restoreId }): Promise<void> => {
    const loaded = await ctx.runQuery(internal.backups.restore.get, { restoreId });
    if (loaded === null || loaded.restore.importId === undefined) return;
    const connection = await ctx.runQuery(internal.deployment.connection.connectionForActions, {});
    try {
      if (connection === null) throw new Error("No deployment is connected any more.");
      await deploymentClient(connection, { retries: 1 }).cancelImport(loaded.restore.importId);
    } catch (error) {
      await ctx.runMutation(internal.backups.restore.note, {
        restoreId,
        note: `The deployment was not told to drop the import (${sentenceOf(error)}). It was never performed, so nothing changed; Convex discards it after 7 days.`,
      });
    }
  },
});
