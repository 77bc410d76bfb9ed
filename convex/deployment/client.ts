import { ConvexError, convexToJson, jsonToConvex, type Value } from "convex/values";
import { APP_VERSION } from "../lib/version";
import {
  backoffDelay,
  deploymentNameFromUrl,
  describeFailure,
  isRetryable,
  redact,
  type DeploymentErrorData,
  type FailedAttempt,
} from "./model/errors";
import { parseConvexExport, type ConvexExport } from "./model/exports";
import { parseConvexImport, type ConvexImport, type ImportSpec } from "./model/imports";
import { parseCurrentUsage, type CurrentUsage } from "./model/usage";

/**
 * The one client for the connected deployment's admin HTTP API — the snapshot export and import
 * endpoints and the system queries behind them, called exactly as `npx convex export|import` call
 * them. Every call sends `Authorization: Convex <deploy key>`, has a timeout, and is retried with
 * exponential backoff and jitter when the deployment failed (5xx) or could not be reached — only for
 * calls that are safe to repeat: a repeated upload part would be appended twice, and a repeated
 * export request would be refused as "already running". A refusal (4xx) is never retried. Failures
 * throw `ConvexError<DeploymentErrorData>` with a sentence; the deploy key never appears in one.
 */

export type DeploymentConnection = {
  url: string;
  deployKey: string;
  /** How sentences name the deployment; derived from the URL when absent. */
  name?: string;
};

export type DeploymentClientOptions = {
  fetch?: typeof fetch;
  /** Per attempt, until the response headers arrive. */
  timeoutMs?: number;
  /** Retries after the first attempt, for calls that are safe to repeat. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export type ExportDownload = {
  body: ReadableStream<Uint8Array>;
  /** Bytes the deployment says it will send (Content-Length), when it says. */
  contentLength: number | null;
  /** `snapshot_<deployment>_<ts>.zip`, from Content-Disposition or built like the CLI does. */
  fileName: string;
};

export type DeploymentClient = ReturnType<typeof deploymentClient>;

/** Calls that may be sent again after a failure without doing their work twice. */
type Repeatable = "repeatable" | "once";

type CallSpec = {
  operation: string;
  method: "GET" | "POST";
  path: string;
  body?: string | Uint8Array;
  contentType?: string;
  repeatable: Repeatable;
  /** Keep the body streaming after the headers arrive (no timeout on the body). */
  stream?: boolean;
  /** A non-2xx status that is an answer, not a failure (560: a Convex function threw). */
  answerStatus?: number;
};

/** What Convex's HTTP API answers when the function itself failed, as ConvexHttpClient expects. */
const FUNCTION_FAILED_STATUS = 560;

export const DEFAULT_TIMEOUT_MS = 30_000;
const TIMED_OUT = Symbol("timed out");
/** Convex parses this header as `<client name>-<semver>` and refuses a value it cannot parse. */
const CONVEX_CLIENT = `convex-ops-console-${APP_VERSION}`;
export const DEFAULT_RETRIES = 4;

export function deploymentClient(connection: DeploymentConnection, options: DeploymentClientOptions = {}) {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const baseUrl = connection.url.replace(/\/+$/, "");
  const deployment = connection.name ?? deploymentNameFromUrl(connection.url);

  function fail(failure: FailedAttempt, operation: string, attempts: number): never {
    const data = describeFailure(failure, { deployment, operation, attempts });
    throw new ConvexError<DeploymentErrorData>({
      ...data,
      message: redact(data.message, connection.deployKey),
    });
  }

  async function call(spec: CallSpec): Promise<Response> {
    const maxAttempts = spec.repeatable === "repeatable" ? retries + 1 : 1;
    let last: FailedAttempt = { kind: "network" };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        await sleep(
          backoffDelay(attempt - 2, {
            baseMs: options.backoffBaseMs ?? 500,
            maxMs: options.backoffMaxMs ?? 8000,
            random,
          }),
        );
      }
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Racing a timer as well as aborting: the answer is a timeout even where abort is not honoured.
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve(TIMED_OUT);
        }, timeoutMs);
      });
      const clear = () => clearTimeout(timer);
      let response: Response | typeof TIMED_OUT;
      try {
        response = await Promise.race([
          fetchImpl(`${baseUrl}${spec.path}`, {
            method: spec.method,
            headers: {
              Authorization: `Convex ${connection.deployKey}`,
              "Content-Type": spec.contentType ?? "application/json",
              "Convex-Client": CONVEX_CLIENT,
            },
            body: spec.body as BodyInit | undefined,
            signal: controller.signal,
          }),
          timeout,
        ]);
      } catch {
        clear();
        last = controller.signal.aborted ? { kind: "timeout", timeoutMs } : { kind: "network" };
        continue;
      }
      if (response === TIMED_OUT) {
        last = { kind: "timeout", timeoutMs };
        continue;
      }
      if (response.ok || response.status === spec.answerStatus) {
        if (spec.stream) {
          clear();
          return response;
        }
        // The body is read within the same timeout as the headers.
        const text = await Promise.race([response.text(), timeout]).catch(() => null);
        clear();
        if (text === null || text === TIMED_OUT) {
          last = controller.signal.aborted ? { kind: "timeout", timeoutMs } : { kind: "network" };
          continue;
        }
        return new Response(text, { status: response.status, headers: response.headers });
      }
      const errorText = await Promise.race([response.text(), timeout]).catch(() => "");
      clear();
      last = {
        kind: "http",
        status: response.status,
        ...convexError(errorText === TIMED_OUT ? "" : errorText),
      };
      if (!isRetryable(last)) break;
    }
    return fail(
      last,
      spec.operation,
      spec.repeatable === "repeatable" && isRetryable(last) ? maxAttempts : 1,
    );
  }

  async function json(response: Response, operation: string): Promise<unknown> {
    const text = await response.text();
    try {
      return text.length === 0 ? null : JSON.parse(text);
    } catch {
      return fail({ kind: "badResponse", detail: "the body is not JSON" }, operation, 1);
    }
  }

  /** A system query over HTTP, as ConvexHttpClient sends it (admin auth, convex_encoded_json). */
  async function query(path: string, args: Record<string, Value>, operation: string): Promise<Value> {
    const response = await call({
      operation,
      method: "POST",
      path: "/api/query",
      body: JSON.stringify({ path, format: "convex_encoded_json", args: [convexToJson(args)] }),
      repeatable: "repeatable",
      answerStatus: FUNCTION_FAILED_STATUS,
    });
    const body = (await json(response, operation)) as {
      status?: string;
      value?: unknown;
      errorMessage?: string;
    };
    if (body?.status === "success") {
      try {
        return jsonToConvex(body.value as never);
      } catch {
        return fail({ kind: "badResponse", detail: "the query result is not Convex JSON" }, operation, 1);
      }
    }
    if (body?.status === "error") {
      return fail(
        {
          kind: "functionFailed",
          detail: redact(String(body.errorMessage ?? "the query failed"), connection.deployKey),
        },
        operation,
        1,
      );
    }
    return fail({ kind: "badResponse", detail: "the query answer has no status" }, operation, 1);
  }

  return {
    deployment,

    /** `POST /api/export/request/zip`: starts a snapshot export; its progress is in getLatestExport. */
    async requestExport(args: { includeStorage: boolean }): Promise<void> {
      await call({
        operation: "request an export",
        method: "POST",
        path: `/api/export/request/zip?includeStorage=${args.includeStorage}`,
        repeatable: "once",
      });
    },

    /** `_system/cli/exports:getLatest`: the newest CLI-style export, or null if there never was one. */
    async getLatestExport(): Promise<ConvexExport | null> {
      const operation = "read the latest export";
      const result = parseConvexExport(await query("_system/cli/exports:getLatest", {}, operation));
      return result.ok ? result.export : fail({ kind: "badResponse", detail: result.reason }, operation, 1);
    },

    /** `GET /api/export/zip/{start_ts}`: the ZIP as a stream (no Range support on Convex's side). */
    async downloadExport(startTs: bigint): Promise<ExportDownload> {
      const response = await call({
        operation: "download the export",
        method: "GET",
        path: `/api/export/zip/${startTs.toString()}`,
        repeatable: "repeatable",
        stream: true,
      });
      if (!response.body)
        return fail({ kind: "badResponse", detail: "the download has no body" }, "download the export", 1);
      const length = response.headers.get("content-length");
      const disposition = response.headers.get("content-disposition") ?? "";
      const prefix = "attachment; filename=";
      return {
        body: withIdleTimeout(response.body, timeoutMs, () =>
          fail({ kind: "stalled", timeoutMs }, "download the export", 1),
        ),
        contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : null,
        fileName: disposition.startsWith(prefix)
          ? disposition.slice(prefix.length)
          : `snapshot_${deployment}_${startTs}.zip`,
      };
    },

    /** `POST /api/export/cancel/{id}`: only for an export that is requested or in progress. */
    async cancelExport(snapshotId: bigint | string): Promise<void> {
      await call({
        operation: "cancel the export",
        method: "POST",
        path: `/api/export/cancel/${snapshotId}`,
        repeatable: "once",
      });
    },

    /** `POST /api/export/set_expiration/{id}` `{expirationTsNs}`: only for a completed export. */
    async setExportExpiration(snapshotId: bigint | string, expirationTsNs: bigint): Promise<void> {
      await call({
        operation: "change the export's expiry",
        method: "POST",
        path: `/api/export/set_expiration/${snapshotId}`,
        // u64 in Rust: written as a bare integer so no precision is lost.
        body: `{"expirationTsNs":${expirationTsNs.toString()}}`,
        repeatable: "repeatable",
      });
    },

    /** `POST /api/import/start_upload` → an upload token. */
    async startUpload(): Promise<string> {
      const operation = "start an upload";
      const response = await call({
        operation,
        method: "POST",
        path: "/api/import/start_upload",
        repeatable: "repeatable",
      });
      const body = (await json(response, operation)) as { uploadToken?: unknown };
      return typeof body?.uploadToken === "string"
        ? body.uploadToken
        : fail({ kind: "badResponse", detail: "no uploadToken" }, operation, 1);
    },

    /**
     * `POST /api/import/upload_part` → a part token. Parts go one at a time, in order, at least 5 MiB
     * except the last: self-hosted storage appends parts in arrival order and ignores partNumber.
     */
    async uploadPart(uploadToken: string, partNumber: number, bytes: Uint8Array): Promise<string> {
      const operation = `upload part ${partNumber}`;
      const response = await call({
        operation,
        method: "POST",
        path: `/api/import/upload_part?uploadToken=${encodeURIComponent(uploadToken)}&partNumber=${partNumber}`,
        body: bytes,
        contentType: "application/octet-stream",
        repeatable: "once",
      });
      const token = await json(response, operation);
      return typeof token === "string"
        ? token
        : fail({ kind: "badResponse", detail: "the part token is not a string" }, operation, 1);
    },

    /** `POST /api/import/finish_upload` → the import id; the import then waits for confirmation. */
    async finishUpload(args: {
      import: ImportSpec;
      uploadToken: string;
      partTokens: string[];
    }): Promise<string> {
      const operation = "finish the upload";
      const response = await call({
        operation,
        method: "POST",
        path: "/api/import/finish_upload",
        body: JSON.stringify(args),
        repeatable: "once",
      });
      const body = (await json(response, operation)) as { importId?: unknown };
      return typeof body?.importId === "string"
        ? body.importId
        : fail({ kind: "badResponse", detail: "no importId" }, operation, 1);
    },

    /** `POST /api/perform_import`: confirms an import waiting for confirmation (a no-op otherwise). */
    async performImport(importId: string): Promise<void> {
      await call({
        operation: "start the import",
        method: "POST",
        path: "/api/perform_import",
        body: JSON.stringify({ importId }),
        repeatable: "repeatable",
      });
    },

    /** `POST /api/cancel_import`: an import that has not finished becomes failed "Import canceled". */
    async cancelImport(importId: string): Promise<void> {
      await call({
        operation: "cancel the import",
        method: "POST",
        path: "/api/cancel_import",
        body: JSON.stringify({ importId }),
        repeatable: "once",
      });
    },

    /** `GET /api/v1/get_current_usage`: Convex's own usage figures for today and this month. */
    async getCurrentUsage(): Promise<CurrentUsage> {
      const operation = "read its current usage";
      const response = await call({
        operation,
        method: "GET",
        path: "/api/v1/get_current_usage",
        repeatable: "repeatable",
      });
      const result = parseCurrentUsage(await json(response, operation));
      return result.ok ? result.usage : fail({ kind: "badResponse", detail: result.reason }, operation, 1);
    },

    /** `_system/cli/tableSize` `{tableName}`: how many documents the table holds (0 when it does not exist). */
    async tableSize(tableName: string): Promise<number> {
      const operation = `count the rows of ${tableName}`;
      const value = await query("_system/cli/tableSize", { tableName }, operation);
      const rows = typeof value === "bigint" ? Number(value) : value;
      return typeof rows === "number" && Number.isInteger(rows) && rows >= 0
        ? rows
        : fail({ kind: "badResponse", detail: "the row count is not a whole number" }, operation, 1);
    },

    /** `_system/cli/queryImport` `{importId}`: the import's state, checkpoints, and result. */
    async getImport(importId: string): Promise<ConvexImport | null> {
      const operation = "read the import's progress";
      const result = parseConvexImport(await query("_system/cli/queryImport", { importId }, operation));
      return result.ok ? result.import : fail({ kind: "badResponse", detail: result.reason }, operation, 1);
    },
  };
}

/**
 * The download body, failing with a timeout when no bytes arrive for `ms`: a stalled connection
 * must end the copy with a reason rather than hold the action until it is killed.
 */
function withIdleTimeout(
  body: ReadableStream<Uint8Array>,
  ms: number,
  timedOut: () => never,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stall = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          try {
            timedOut();
          } catch (error) {
            reject(error);
          }
        }, ms);
      });
      try {
        const next = await Promise.race([reader.read(), stall]);
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        void reader.cancel().catch(() => {});
        controller.error(error);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function convexError(text: string): { convexCode?: string; convexMessage?: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      ...(typeof body.code === "string" ? { convexCode: body.code } : {}),
      ...(typeof body.message === "string" ? { convexMessage: body.message } : {}),
    };
  } catch {
    return {};
  }
}
