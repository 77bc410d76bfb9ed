/**
 * The deployment URL's HTTP side: the function API (`/api/query|mutation|action|function`), file
 * storage (upload, download), `/api/query_ts` and `/version`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import { convexTestVersion, type Engine } from "./convexTestAdapter.ts";
import { BAD_ADMIN_KEY } from "./adminKey.ts";
import { BodyTooLarge, CORS_HEADERS, readBody, sendJson } from "./httpHelpers.ts";
import { BadAdminKeyError, formatFunctionError, type Caller, type FunctionRunner } from "./functionRunner.ts";
import { logLinesOf } from "./logCapture.ts";
import type { UdfKind } from "./modules.ts";
import { encodeTs } from "./sync.ts";

const STATUS_UDF_FAILED = 560;

export interface HttpApiOptions {
  url: string;
  maxBodyBytes: number;
  maxUploadBytes: number;
  /** The admin API (snapshot export and import); answers true when it handled the request. */
  admin?: (req: IncomingMessage, res: ServerResponse, url: URL, method: string) => Promise<boolean>;
}

function tooLarge(res: ServerResponse, limit: number) {
  sendJson(
    res,
    413,
    { code: "PayloadTooLarge", message: `Request body exceeds ${limit} bytes` },
    { Connection: "close" },
  );
}

export function httpApiHandler(engine: Engine, runner: FunctionRunner, options: HttpApiOptions) {
  return async function handleApi(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? "/", options.url);
    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    if (method === "GET" && u.pathname === "/version") {
      res.writeHead(200, { "Content-Type": "text/plain", ...CORS_HEADERS });
      res.end(`local-backend (convex-test ${convexTestVersion()})`);
      return;
    }
    if (method === "GET" && (u.pathname === "/" || u.pathname === "/instance_name")) {
      res.writeHead(200, { "Content-Type": "text/plain", ...CORS_HEADERS });
      res.end(u.pathname === "/" ? "This Convex deployment is running (offline local backend)." : "local");
      return;
    }
    if (options.admin && (await options.admin(req, res, u, method))) return;
    if (method === "POST" && u.pathname === "/api/storage/upload") {
      let body: Buffer;
      try {
        body = await readBody(req, options.maxUploadBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(res, options.maxUploadBytes);
        throw error;
      }
      const contentType = req.headers["content-type"] ?? null;
      const storageId = await engine.storeFile(new Blob([new Uint8Array(body)]), contentType);
      sendJson(res, 200, { storageId });
      return;
    }
    const storageMatch = /^\/api\/storage\/([^/]+)$/.exec(u.pathname);
    if ((method === "GET" || method === "HEAD") && storageMatch) {
      const file = engine.getFile(decodeURIComponent(storageMatch[1]!));
      if (!file) {
        sendJson(res, 404, { code: "FileNotFound", message: "File not found" });
        return;
      }
      const bytes = Buffer.from(await file.blob.arrayBuffer());
      res.writeHead(200, {
        "Content-Type": file.contentType ?? "application/octet-stream",
        "Content-Length": String(bytes.length),
        "Cache-Control": "private, max-age=2592000",
        ...CORS_HEADERS,
      });
      res.end(method === "HEAD" ? undefined : bytes);
      return;
    }
    if (method === "POST" && u.pathname === "/api/query_ts") {
      sendJson(res, 200, { ts: encodeTs(engine.lastCommitTs) });
      return;
    }
    const apiMatch = /^\/api\/(query|query_at_ts|mutation|action|function)$/.exec(u.pathname);
    if (method === "POST" && apiMatch) {
      let raw: Buffer;
      try {
        raw = await readBody(req, options.maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(res, options.maxBodyBytes);
        throw error;
      }
      let body: { path?: unknown; args?: unknown; format?: unknown };
      try {
        body = JSON.parse(raw.toString("utf8")) as typeof body;
      } catch {
        sendJson(res, 400, { code: "BadJsonBody", message: "Request body is not valid JSON" });
        return;
      }
      if (typeof body !== "object" || body === null || typeof body.path !== "string") {
        sendJson(res, 400, { code: "BadJsonBody", message: "Expected a JSON object with a string `path`" });
        return;
      }
      const argsArray = Array.isArray(body.args) ? body.args : body.args === undefined ? [{}] : [body.args];
      let args: Record<string, Value>;
      try {
        const value = jsonToConvex((argsArray[0] ?? {}) as never);
        if (typeof value !== "object" || value === null || Array.isArray(value))
          throw new Error("args must be an object");
        args = value as Record<string, Value>;
      } catch (error) {
        sendJson(res, 400, { code: "BadJsonBody", message: `Invalid args: ${String(error)}` });
        return;
      }
      let caller: Caller;
      try {
        caller = await runner.callerFromRequest(req, u);
      } catch (error) {
        if (error instanceof BadAdminKeyError) return sendJson(res, 401, BAD_ADMIN_KEY);
        sendJson(res, 401, {
          code: "Unauthenticated",
          message: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      const kind = apiMatch[1] === "query_at_ts" ? "query" : (apiMatch[1] as UdfKind | "function");
      try {
        const { value, logLines } = await runner.run(
          kind === "function" ? "any" : kind,
          body.path,
          args,
          caller.identity,
          caller.admin,
        );
        sendJson(res, 200, { status: "success", value: convexToJson(value as Value), logLines });
      } catch (error) {
        const { message, data } = formatFunctionError(error);
        sendJson(res, STATUS_UDF_FAILED, {
          status: "error",
          errorMessage: message,
          ...(data !== undefined ? { errorData: data } : {}),
          logLines: logLinesOf(error),
        });
      }
      return;
    }
    sendJson(res, 404, { code: "NotFound", message: `No route for ${method} ${u.pathname}` });
  };
}
