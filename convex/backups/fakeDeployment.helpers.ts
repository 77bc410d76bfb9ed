/**
 * A stand-in for a connected Convex deployment and for the console's own file storage, as a fetch
 * stub: it answers the snapshot export endpoints and `_system/cli/exports:getLatest` with the shapes
 * Convex sends, serves a ZIP made by the snapshot writer, and stores uploads in convex-test's storage.
 */
import { vi } from "vitest";
import { convexToJson, type Value } from "convex/values";
import { api } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { Backend, teamOfThree } from "../test.helpers";

export const DEPLOYMENT_URL = "https://happy-otter-123.convex.cloud";
export const DEPLOY_KEY = "prod:happy-otter-123|0123456789abcdef0123456789abcdef";
const STORAGE_PREFIX = "https://some-deployment.convex.cloud/api/storage/";

export const START_TS = 1_763_976_000_000_000_000n;

/**
 * A manual backup of this deployment, verified and restorable, taken at `takenAt`, as the flow
 * leaves one; `fields` says what else a test needs (its stored copy, who asked, pinned).
 */
export function verifiedBackupRow(
  takenAt: number,
  fields: Partial<Omit<Doc<"backups">, "_id" | "_creationTime">> = {},
): Omit<Doc<"backups">, "_id" | "_creationTime"> {
  return {
    kind: "manual",
    status: { state: "verified" },
    requestedAt: takenAt,
    requestedBy: "operator@example.com",
    includeStorage: false,
    deployment: "happy-otter-123",
    deploymentUrl: DEPLOYMENT_URL,
    takenAt,
    restorableTakenAt: takenAt,
    pinned: false,
    ...fields,
  };
}

export type ExportRecord = Record<string, Value> | null;

export type FakeDeployment = {
  zip: Uint8Array;
  /** getLatest answers, one per call; the last repeats. */
  exports: ExportRecord[];
  requestAnswer?: { status: number; body: unknown };
  /** Content-Length to claim for the download (defaults to the ZIP's size). */
  claimedLength?: number;
  calls: string[];
  /** What the restore uploaded, part by part, and the finish_upload body. */
  uploadedParts?: Uint8Array[];
  finishedUpload?: unknown;
  confirmed?: boolean;
  canceled?: boolean;
  /** set_expiration calls: the export id and the new expiry (ns), and the answer to give. */
  expirations?: { snapshotId: string; expirationTsNs: string }[];
  expirationAnswer?: { status: number; body: unknown };
};

export function exportDoc(state: string, fields: Record<string, Value> = {}): Record<string, Value> {
  return {
    _id: "kd7exportid",
    _creationTime: 1_763_976_000_000,
    state,
    format: { format: "zip", include_storage: false },
    component: null,
    requestor: "snapshotExport",
    expiration_ts: START_TS + 14n * 86_400_000_000_000n,
    ...fields,
  };
}

export const IN_PROGRESS = exportDoc("in_progress", {
  start_ts: START_TS - 5n,
  progress_message: "Backing up tasks: 2 / 5 documents",
});
export const COMPLETED = exportDoc("completed", {
  start_ts: START_TS,
  complete_ts: START_TS + 1_000_000_000n,
  zip_object_key: "zip-key",
  size: 0n,
});

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function fakeFetch(t: Backend, deployment: FakeDeployment): typeof fetch {
  let exportCalls = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    deployment.calls.push(`${method} ${url.replace(DEPLOYMENT_URL, "")}`);
    if (url.startsWith(DEPLOYMENT_URL)) {
      const auth = new Headers(init?.headers).get("Authorization");
      if (auth !== `Convex ${DEPLOY_KEY}`) return json({ code: "BadAdminKey", message: "bad key" }, 401);
    }
    if (url === `${DEPLOYMENT_URL}/api/import/start_upload`) return json({ uploadToken: "upload-1" });
    if (url.startsWith(`${DEPLOYMENT_URL}/api/import/upload_part`)) {
      (deployment.uploadedParts ??= []).push(new Uint8Array(init!.body as Uint8Array));
      return json(`part-${deployment.uploadedParts.length}`);
    }
    if (url === `${DEPLOYMENT_URL}/api/import/finish_upload`) {
      deployment.finishedUpload = JSON.parse(String(init?.body));
      return json({ importId: "import-1" });
    }
    if (url === `${DEPLOYMENT_URL}/api/perform_import`) {
      deployment.confirmed = true;
      return new Response("", { status: 200 });
    }
    if (url === `${DEPLOYMENT_URL}/api/cancel_import`) {
      deployment.canceled = true;
      return new Response("", { status: 200 });
    }
    if (url.startsWith(`${DEPLOYMENT_URL}/api/export/set_expiration/`)) {
      const answer = deployment.expirationAnswer ?? { status: 200, body: "" };
      if (answer.status !== 200) return json(answer.body, answer.status);
      const body = /"expirationTsNs":(\d+)/.exec(String(init?.body));
      (deployment.expirations ??= []).push({
        snapshotId: url.slice(`${DEPLOYMENT_URL}/api/export/set_expiration/`.length),
        expirationTsNs: body?.[1] ?? "",
      });
      return new Response("", { status: 200 });
    }
    if (url.startsWith(`${DEPLOYMENT_URL}/api/export/request/zip`)) {
      const answer = deployment.requestAnswer ?? { status: 200, body: "" };
      return answer.status === 200 ? new Response("", { status: 200 }) : json(answer.body, answer.status);
    }
    if (url === `${DEPLOYMENT_URL}/api/query`) {
      const body = JSON.parse(String(init?.body)) as { path: string };
      if (body.path === "_system/cli/queryImport") {
        const state = deployment.canceled
          ? { state: "failed", error_message: "Import canceled" }
          : !deployment.confirmed
            ? {
                state: "waiting_for_confirmation",
                message_to_confirm: "Import change summary:\ntasks | 5 | 3 of 3 |",
                require_manual_confirmation: true,
              }
            : { state: "completed", timestamp: 1n, num_rows_written: 5n };
        return json({
          status: "success",
          value: convexToJson({ _id: "import-1", state, checkpoints: null }),
          logLines: [],
        });
      }
      if (body.path !== "_system/cli/exports:getLatest")
        return json({ status: "error", errorMessage: "unknown" }, 560);
      const record = deployment.exports[Math.min(exportCalls++, deployment.exports.length - 1)] ?? null;
      return json({ status: "success", value: convexToJson(record), logLines: [] });
    }
    if (url.startsWith(`${DEPLOYMENT_URL}/api/export/zip/`)) {
      return new Response(new Blob([deployment.zip as Uint8Array<ArrayBuffer>]).stream(), {
        status: 200,
        headers: {
          "Content-Length": String(deployment.claimedLength ?? deployment.zip.length),
          "Content-Disposition": `attachment; filename=snapshot_happy-otter-123_${START_TS}.zip`,
        },
      });
    }
    if (url.startsWith(`${DEPLOYMENT_URL}/api/export/cancel/`)) return new Response("", { status: 200 });
    if (url.startsWith(`${STORAGE_PREFIX}upload`)) {
      const bytes = new Uint8Array(await new Response(init!.body).arrayBuffer());
      const storageId = await t.run(async (ctx) => await ctx.storage.store(new Blob([bytes])));
      return json({ storageId });
    }
    if (url.startsWith(STORAGE_PREFIX)) {
      // convex-test names a stored file's URL after its sha256.
      const digest = url.slice(STORAGE_PREFIX.length);
      const blob = await t.run(async (ctx) => {
        const files = await ctx.db.system.query("_storage").take(100);
        const file = files.find((candidate) => candidate.sha256 === digest);
        const stored = file ? await ctx.storage.get(file._id) : null;
        return stored ? await stored.arrayBuffer() : null;
      });
      return blob === null ? new Response("", { status: 404 }) : new Response(new Blob([blob]).stream());
    }
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
}

/** A deployment whose one export is in progress, then completed, and serves `zip`. */
export function exportingDeployment(zip: Uint8Array): FakeDeployment {
  return { zip, exports: [IN_PROGRESS, COMPLETED], calls: [] };
}

/**
 * Answers `fetch` with `stub`, freezes the clock and connects the deployment as the team's admin
 * does in Settings; `releaseDeployment` undoes it after each test.
 */
export async function connectDeployment(
  admin: Awaited<ReturnType<typeof teamOfThree>>["admin"],
  stub: typeof fetch,
): Promise<void> {
  vi.stubGlobal("fetch", stub);
  vi.useFakeTimers();
  await admin.client.mutation(api.deployment.connection.setConnection, {
    url: DEPLOYMENT_URL,
    deployKey: DEPLOY_KEY,
  });
}

export function releaseDeployment(): void {
  vi.useRealTimers();
  vi.unstubAllGlobals();
}
