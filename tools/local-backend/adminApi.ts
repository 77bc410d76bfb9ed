/**
 * The deployment admin API the Convex CLI and dashboard use for snapshots, on Convex's paths:
 *
 *   POST /api/export/request/zip?includeStorage=   GET /api/export/zip/{id or start_ts}
 *   POST /api/export/cancel/{id}                   POST /api/export/set_expiration/{id}
 *   POST /api/import/start_upload                  POST /api/import/upload_part?uploadToken=&partNumber=
 *   POST /api/import/finish_upload                 POST /api/perform_import   POST /api/cancel_import
 *   GET /api/v1/get_current_usage (currentUsage.ts)
 *
 * Every route needs the admin key. Errors are `{code, message}` with Convex's codes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Value } from "convex/values";
import { AdminKeyCheck, BAD_ADMIN_KEY, credentialOf } from "./adminKey.ts";
import { ApiError, BodyTooLarge, CORS_HEADERS, readBody, sendJson } from "./httpHelpers.ts";
import type { FunctionRunner } from "./functionRunner.ts";
import { currentUsageBody, functionCallMeter } from "./currentUsage.ts";
import { SnapshotExports } from "./snapshotExport.ts";
import type { SnapshotImports } from "./snapshotImport.ts";
import { EXPORTS_TABLE, IMPORTS_TABLE } from "./systemTables.ts";

const JSON_LIMIT = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw: Buffer;
  try {
    raw = await readBody(req, JSON_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new ApiError(413, "PayloadTooLarge", "Request body too large");
    throw error;
  }
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(400, "BadJsonBody", "Request body is not valid JSON");
  }
}

function sendEmpty(res: ServerResponse) {
  res.writeHead(200, { "Content-Length": "0", ...CORS_HEADERS });
  res.end();
}

/**
 * Registers the system queries the CLI and dashboard read exports and imports with, and
 * `_system/cli/tableSize` (a table's document count, 0 for one that does not exist), which the
 * console reads before and after an import.
 */
export function registerSnapshotQueries(
  runner: FunctionRunner,
  exports: SnapshotExports,
  imports: SnapshotImports,
  rowsIn: (table: string) => number,
) {
  runner.registerSystemQuery("_system/cli/tableSize:default", {
    tables: [],
    run: (args: Record<string, Value>) => (typeof args.tableName === "string" ? rowsIn(args.tableName) : 0),
  });
  const latestExport = { tables: [EXPORTS_TABLE], run: () => exports.latest() };
  runner.registerSystemQuery("_system/cli/exports:getLatest", latestExport);
  runner.registerSystemQuery("_system/frontend/latestExport:default", latestExport);
  const queryImport = {
    tables: [IMPORTS_TABLE],
    run: (args: Record<string, Value>) =>
      typeof args.importId === "string" ? imports.get(args.importId) : null,
  };
  const listImports = { tables: [IMPORTS_TABLE], run: () => imports.list() };
  runner.registerSystemQuery("_system/cli/queryImport:default", queryImport);
  runner.registerSystemQuery("_system/cli/queryImport:list", listImports);
  runner.registerSystemQuery("_system/frontend/snapshotImport:list", listImports);
}

/** Handles the admin routes; returns false for any other path. */
export function adminApiHandler(adminKey: AdminKeyCheck, exports: SnapshotExports, imports: SnapshotImports) {
  return async function handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<boolean> {
    const path = url.pathname;
    if (
      !path.startsWith("/api/export/") &&
      !path.startsWith("/api/import/") &&
      path !== "/api/perform_import" &&
      path !== "/api/cancel_import" &&
      path !== "/api/v1/get_current_usage"
    ) {
      return false;
    }
    try {
      const credential = credentialOf(req, url);
      if (credential.kind !== "admin") {
        throw new ApiError(
          401,
          "Unauthenticated",
          "This endpoint needs the deployment's admin key: Authorization: Convex <admin key>",
        );
      }
      if (!adminKey.matches(credential.key))
        throw new ApiError(401, BAD_ADMIN_KEY.code, BAD_ADMIN_KEY.message);

      let match: RegExpExecArray | null;
      if (method === "POST" && path === "/api/export/request/zip") {
        await exports.request(url.searchParams.get("includeStorage") === "true");
        sendEmpty(res);
      } else if (method === "GET" && (match = /^\/api\/export\/zip\/([^/]+)$/.exec(path))) {
        const zip = exports.download(decodeURIComponent(match[1]!));
        res.writeHead(200, {
          "Content-Type": "application/zip",
          "Content-Length": String(zip.size),
          "Content-Disposition": `attachment; filename=${zip.filename}`,
          "Cache-Control": "private, max-age=2592000",
          ...CORS_HEADERS,
        });
        await pipeline(SnapshotExports.open(zip.path), res);
      } else if (method === "POST" && (match = /^\/api\/export\/cancel\/([^/]+)$/.exec(path))) {
        await exports.cancel(decodeURIComponent(match[1]!));
        sendEmpty(res);
      } else if (method === "POST" && (match = /^\/api\/export\/set_expiration\/([^/]+)$/.exec(path))) {
        const body = (await readJson(req)) as { expirationTsNs?: unknown };
        const ts = body.expirationTsNs;
        if ((typeof ts !== "number" && typeof ts !== "string") || !/^\d+$/.test(String(ts))) {
          throw new ApiError(400, "InvalidExpiration", "expirationTsNs must be a timestamp in nanoseconds");
        }
        await exports.setExpiration(decodeURIComponent(match[1]!), BigInt(ts));
        sendEmpty(res);
      } else if (method === "POST" && path === "/api/import/start_upload") {
        sendJson(res, 200, { uploadToken: imports.startUpload() });
      } else if (method === "POST" && path === "/api/import/upload_part") {
        const token = url.searchParams.get("uploadToken") ?? "";
        const part = Number(url.searchParams.get("partNumber"));
        if (!Number.isInteger(part) || part < 1 || part > 10000) {
          throw new ApiError(400, "InvalidPartNumber", "partNumber must be an integer from 1 to 10000");
        }
        await imports.uploadPart(token, req);
        sendJson(res, 200, "");
      } else if (method === "POST" && path === "/api/import/finish_upload") {
        sendJson(res, 200, { importId: await imports.finishUpload(await readJson(req)) });
      } else if (method === "POST" && path === "/api/perform_import") {
        await imports.perform(((await readJson(req)) as { importId?: unknown }).importId);
        sendEmpty(res);
      } else if (method === "POST" && path === "/api/cancel_import") {
        await imports.cancel(((await readJson(req)) as { importId?: unknown }).importId);
        sendEmpty(res);
      } else if (method === "GET" && path === "/api/v1/get_current_usage") {
        sendJson(res, 200, currentUsageBody(functionCallMeter, Date.now()));
      } else {
        throw new ApiError(404, "NotFound", `No route for ${method} ${path}`);
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (res.headersSent) res.destroy();
      else sendJson(res, error.status, { code: error.code, message: error.message });
    }
    return true;
  };
}
