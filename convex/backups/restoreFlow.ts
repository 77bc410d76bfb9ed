/**
 * A restore's steps after the admin confirmed: wait for the pre-restore backup to be verified,
 * stream the stored ZIP (filtered to the chosen tables when needed) to the deployment in 5 MiB parts,
 * finish the upload, record Convex's confirmation message and confirm, then follow the import to its
 * rows written or its error.
 */
import { ConvexError, v } from "convex/values";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { deploymentClient } from "../deployment/client";
import { internalAction } from "../lib/functions";
import { pollDelayMs } from "./flow";
import { filteredSnapshotEntries, uploadParts } from "./model/restorePlan";
import { zipChunks } from "./model/zipWriter";

async function fail(ctx: ActionCtx, restoreId: Id<"restores">, step: string, reason: string): Promise<void> {
  await ctx.runMutation(internal.backups.restore.update, {
    restoreId,
    status: { state: "failed", step, reason },
  });
}

function sentenceOf(error: unknown): string {
  if (error instanceof ConvexError && typeof (error.data as { message?: unknown })?.message === "string") {
    return (error.data as { message: string }).message;
  }
  return error instanceof Error ? error.message : String(error);
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
        `The pre-restore backup did not finish verified${why}, so nothing was restored. Take a backup that verifies, then restore again.`,
      );
    }
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
        await ctx.runMutation(internal.backups.restore.update, {
          restoreId,
          status: {
            state: "uploading",
            bytesUploaded,
            totalBytes: restore.filtered ? null : (backup?.sizeBytes ?? null),
          },
        });
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
    const state = loaded.restore.status.state;
    if (state === "completed" || state === "failed") return;
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
          // The admin confirmed by typing the deployment's name; Convex's summary is kept for the page.
          await ctx.runMutation(internal.backups.restore.update, {
            restoreId,
            status: { state: "waiting_for_confirmation" },
            messageToConfirm: current.state.messageToConfirm,
          });
          await client.performImport(importId);
          break;
        case "in_progress":
          await ctx.runMutation(internal.backups.restore.update, {
            restoreId,
            status: { state: "importing", progressMessage: current.state.progressMessage },
          });
          break;
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
