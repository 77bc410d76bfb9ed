/**
 * The offline local backend: runs a `convex/` folder with the convex-test engine and serves
 * Convex's client protocols (DESIGN §9).
 *
 *   <url>        WebSocket sync at /api/<version>/sync, HTTP function API, file storage, /version
 *   <siteUrl>    the HTTP actions of convex/http.ts
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { WebSocketServer } from "ws";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import { Engine, type Identity, convexTestVersion } from "./convexTestAdapter.ts";
import { AuthFailure, AuthVerifier, type AuthProviderConfig } from "./auth.ts";
import { CronRunner, type CronSpec } from "./crons.ts";
import {
  canonicalUdfPath,
  collectModules,
  findFunction,
  findPublicFunction,
  kindOf,
  loadOptional,
  type UdfKind,
} from "./modules.ts";
import { logLinesOf, withLogCapture } from "./logCapture.ts";
import { Store } from "./persistence.ts";
import { ProtocolError, SyncSession, encodeTs } from "./sync.ts";

export interface LocalBackendOptions {
  /** The convex/ folder to run. */
  convexDir: string;
  host?: string;
  /** Port of the deployment URL (WebSocket + HTTP API); 0 picks a free port. */
  port?: number;
  /** Port of the site URL (HTTP actions); 0 picks a free port. */
  sitePort?: number;
  /** Folder for persisted state; null keeps everything in memory. */
  dataDir?: string | null;
  /** Start with an empty store (deletes the saved state). */
  reset?: boolean;
  /** Environment variables for the functions (merged into process.env). */
  env?: Record<string, string>;
  /** Largest accepted body for the function API and HTTP actions (default 16 MiB). */
  maxBodyBytes?: number;
  /** Largest accepted file upload (default 64 MiB). */
  maxUploadBytes?: number;
  /** Interval between Pings on idle sync connections (default 15 s; the client gives up after 60 s). */
  pingIntervalMs?: number;
  runCrons?: boolean;
  /** A mutation (public or internal) to run once when the store starts empty, e.g. demo data. */
  seedFunction?: string;
  log?: (message: string) => void;
}

export interface LocalBackend {
  url: string;
  siteUrl: string;
  port: number;
  sitePort: number;
  startupMs: number;
  engine: Engine;
  /** Waits until every commit so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 64 * 1024 * 1024;
const STATUS_UDF_FAILED = 560;

class BodyTooLarge extends Error {}

/**
 * Reads a request body up to `limit` bytes. Past the limit the rest is drained (so the client
 * can finish sending and read the 413 instead of seeing a reset), up to a hard cap.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? "0") > limit;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > limit * 4 + 64 * 1024 * 1024) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new BodyTooLarge()) : resolveBody(Buffer.concat(chunks))));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new BodyTooLarge());
    });
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Authorization, Convex-Client",
  "Access-Control-Max-Age": "86400",
};

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...CORS_HEADERS, ...extra });
  res.end(text);
}

let requestCounter = 0;
function requestId(): string {
  requestCounter += 1;
  return `${Date.now().toString(16).slice(-8)}${requestCounter.toString(16).padStart(8, "0")}`;
}

/** Error message and data as Convex reports a function failure to clients. */
export function formatFunctionError(error: unknown): { message: string; data?: unknown } {
  if (error instanceof ProtocolError) return { message: error.message };
  const isConvexError =
    typeof error === "object" &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for("ConvexError")] === true;
  if (isConvexError) {
    const e = error as Error & { data: Value };
    return {
      message: `[Request ID: ${requestId()}] Server Error\nUncaught ConvexError: ${e.message}`,
      data: convexToJson(e.data),
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = (e.stack ?? "")
    .split("\n")
    .slice(1)
    .filter((l) => !l.includes("node_modules") && !l.includes("node:"))
    .slice(0, 4)
    .join("\n");
  return {
    message: `[Request ID: ${requestId()}] Server Error\nUncaught ${e.name}: ${e.message}${stack ? `\n${stack}` : ""}`,
  };
}

function notFound(udfPath: string): ProtocolError {
  return new ProtocolError(
    `Could not find public function for '${canonicalUdfPath(udfPath)}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
  );
}

export async function startLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const started = performance.now();
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[local-backend] ${m}`));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;

  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));

  const apiServer = createServer((req, res) => {
    void ready
      .then(() => handleApi(req, res))
      .catch((error: unknown) => {
        log(`request failed: ${String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { code: "InternalServerError", message: String(error) });
        else res.destroy();
      });
  });
  const siteServer = createServer((req, res) => {
    void ready
      .then(() => handleSite(req, res))
      .catch((error: unknown) => {
        log(`http action failed: ${String(error)}`);
        if (!res.headersSent) {
          res.writeHead(500, { "Content-Type": "text/plain" });
          res.end(String(error));
        } else res.destroy();
      });
  });
  const port = await listen(apiServer, options.port ?? 3210, host);
  const sitePort = await listen(siteServer, options.sitePort ?? 3211, host);
  const url = `http://${host}:${port}`;
  const siteUrl = `http://${host}:${sitePort}`;

  for (const [k, v] of Object.entries(options.env ?? {})) process.env[k] = v;
  process.env.CONVEX_CLOUD_URL ??= url;
  process.env.CONVEX_SITE_URL ??= siteUrl;

  const modules = collectModules(options.convexDir);
  const schemaModule = await loadOptional(modules, "schema");
  const engine = await Engine.create({
    schema: schemaModule?.default ?? null,
    modules: modules.loaders,
    storageBaseUrl: () => url,
    siteUrl: () => siteUrl,
  });

  const authConfig = (await loadOptional(modules, "auth.config"))?.default as
    { providers?: AuthProviderConfig[] } | undefined;
  const auth = new AuthVerifier(authConfig?.providers ?? [], process.env);
  const state: { engine: Engine; auth: AuthVerifier; modules: ReturnType<typeof collectModules> } = {
    engine,
    auth,
    modules,
  };

  // Persistence: every commit is durable before the call that made it returns.
  let store: Store | null = null;
  let startedEmpty = true;
  if (options.dataDir) {
    const dir = resolve(options.dataDir);
    store = Store.open(dir, { reset: options.reset ?? false });
    const saved = store.load();
    if (saved) {
      engine.importSnapshot(saved.snapshot, saved.files);
      log(`loaded ${saved.snapshot.documents.length} documents from ${dir}`);
      startedEmpty = saved.snapshot.documents.length === 0;
    }
    engine.setDurableSink(store);
  }
  const jobTimers = new Set<NodeJS.Timeout>();
  engine.rearmScheduledJobs((cb, ms) => {
    const timer = setTimeout(() => {
      jobTimers.delete(timer);
      cb();
    }, ms);
    jobTimers.add(timer);
  });

  // Reactivity.
  const sessions = new Set<SyncSession>();
  const unsubscribeCommit = engine.onCommit(({ tables }) => {
    for (const session of sessions) session.onCommit(tables);
  });

  if (options.seedFunction && startedEmpty) {
    await engine.runMutation(options.seedFunction, {}, null);
    log(`seeded the empty store with ${options.seedFunction}`);
  }

  // Crons.
  let crons: CronRunner | null = null;
  const cronModule = await loadOptional(modules, "crons");
  const cronSpecs = (cronModule?.default as { crons?: Record<string, CronSpec> } | undefined)?.crons;
  if (cronSpecs && options.runCrons !== false) {
    crons = new CronRunner(cronSpecs, async (spec) => {
      const fn = await findFunction(modules, spec.name);
      const kind = fn ? kindOf(fn) : null;
      const args = jsonToConvex((spec.args[0] ?? {}) as never) as Record<string, Value>;
      if (kind === "mutation") await engine.runMutation(spec.name, args, null);
      else if (kind === "action") await engine.runAction(spec.name, args, null);
      else throw new Error(`cron target ${spec.name} is not a mutation or action`);
    });
    crons.start();
  }

  async function identityFromHeader(req: IncomingMessage): Promise<Identity | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    const [scheme, token] = header.split(" ", 2);
    if (scheme !== "Bearer" || !token) throw new AuthFailure(`Unsupported authorization scheme "${scheme}"`);
    return await state.auth.verify(token);
  }

  async function runUdf(
    kind: UdfKind | "any",
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ) {
    const found = await findPublicFunction(state.modules, udfPath, kind);
    if (found === null) throw notFound(udfPath);
    const path = canonicalUdfPath(udfPath);
    const label = `${found[0]!.toUpperCase()}(${path})`;
    return await withLogCapture(label, async () => {
      if (found === "query") return (await state.engine.runQuery(path, args, identity, null)).value;
      if (found === "mutation") return (await state.engine.runMutation(path, args, identity)).value;
      return (await state.engine.runAction(path, args, identity)).value;
    });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse) {
    const u = new URL(req.url ?? "/", url);
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
    if (method === "POST" && u.pathname === "/api/storage/upload") {
      let body: Buffer;
      try {
        body = await readBody(req, maxUpload);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(res, maxUpload);
        throw error;
      }
      const contentType = req.headers["content-type"] ?? null;
      const storageId = await state.engine.storeFile(new Blob([new Uint8Array(body)]), contentType);
      sendJson(res, 200, { storageId });
      return;
    }
    const storageMatch = /^\/api\/storage\/([^/]+)$/.exec(u.pathname);
    if ((method === "GET" || method === "HEAD") && storageMatch) {
      const file = state.engine.getFile(decodeURIComponent(storageMatch[1]!));
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
      sendJson(res, 200, { ts: encodeTs(state.engine.lastCommitTs) });
      return;
    }
    const apiMatch = /^\/api\/(query|query_at_ts|mutation|action|function)$/.exec(u.pathname);
    if (method === "POST" && apiMatch) {
      let raw: Buffer;
      try {
        raw = await readBody(req, maxBody);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(res, maxBody);
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
      let identity: Identity | null;
      try {
        identity = await identityFromHeader(req);
      } catch (error) {
        sendJson(res, 401, {
          code: "Unauthenticated",
          message: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      const kind = apiMatch[1] === "query_at_ts" ? "query" : (apiMatch[1] as UdfKind | "function");
      try {
        const { value, logLines } = await runUdf(
          kind === "function" ? "any" : kind,
          body.path,
          args,
          identity,
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
  }

  function tooLarge(res: ServerResponse, limit: number) {
    sendJson(
      res,
      413,
      { code: "PayloadTooLarge", message: `Request body exceeds ${limit} bytes` },
      { Connection: "close" },
    );
  }

  async function handleSite(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? "GET";
    let body: Buffer | undefined;
    if (method !== "GET" && method !== "HEAD") {
      try {
        body = await readBody(req, maxBody);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.writeHead(413, { "Content-Type": "text/plain", Connection: "close" });
          res.end("Payload Too Large");
          return;
        }
        throw error;
      }
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      else headers.set(k, v);
    }
    // HTTP actions see no identity for a bad token, like Convex.
    const identity = await identityFromHeader(req).catch(() => null);
    const response = await state.engine.fetch(
      req.url ?? "/",
      { method, headers, ...(body !== undefined && body.length > 0 ? { body: new Uint8Array(body) } : {}) },
      identity,
    );
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (key !== "set-cookie") outHeaders[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, outHeaders);
    res.end(method === "HEAD" ? undefined : bytes);
  }

  // WebSocket sync.
  const queryCache = new Map<
    string,
    Promise<{ value: unknown; tables: Set<string>; logLines: string[]; endCursor: string | null }>
  >();
  let queryCacheTs = -1n;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const backend = {
    lastCommitTs: () => state.engine.lastCommitTs,
    verifyToken: (token: string) => state.auth.verify(token),
    runQuery: async (
      udfPath: string,
      args: Record<string, Value>,
      identity: Identity | null,
      journal: { endCursor: string | null } | null,
    ) => {
      // Like Convex's query cache: subscriptions to the same query, arguments, identity and
      // journal share one execution per database version.
      const ts = state.engine.lastCommitTs;
      if (ts !== queryCacheTs) {
        queryCache.clear();
        queryCacheTs = ts;
      }
      const key = JSON.stringify([
        canonicalUdfPath(udfPath),
        convexToJson(args),
        identity,
        journal?.endCursor ?? null,
      ]);
      let entry = queryCache.get(key);
      if (!entry) {
        entry = (async () => {
          if ((await findPublicFunction(state.modules, udfPath, "query")) === null) throw notFound(udfPath);
          const ownJournal = journal ? { endCursor: journal.endCursor } : null;
          const path = canonicalUdfPath(udfPath);
          const { value: result, logLines } = await withLogCapture(`Q(${path})`, () =>
            state.engine.runQuery(path, args, identity, ownJournal),
          );
          return { ...result, logLines, endCursor: ownJournal?.endCursor ?? null };
        })();
        queryCache.set(key, entry);
        if (queryCache.size > 10_000) queryCache.clear();
      }
      const result = await entry;
      if (journal) journal.endCursor = result.endCursor;
      return { value: result.value, tables: new Set(result.tables), logLines: result.logLines };
    },
    runMutation: async (udfPath: string, args: Record<string, Value>, identity: Identity | null) => {
      if ((await findPublicFunction(state.modules, udfPath, "mutation")) === null) throw notFound(udfPath);
      const path = canonicalUdfPath(udfPath);
      const { value, logLines } = await withLogCapture(`M(${path})`, () =>
        state.engine.runMutation(path, args, identity),
      );
      return { ...value, logLines };
    },
    runAction: async (udfPath: string, args: Record<string, Value>, identity: Identity | null) => {
      if ((await findPublicFunction(state.modules, udfPath, "action")) === null) throw notFound(udfPath);
      const path = canonicalUdfPath(udfPath);
      const { value, logLines } = await withLogCapture(`A(${path})`, () =>
        state.engine.runAction(path, args, identity),
      );
      return { ...value, logLines };
    },
    formatError: formatFunctionError,
    log,
  };
  apiServer.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", url).pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(path)) {
      socket.write("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new SyncSession(ws, backend);
      sessions.add(session);
      ws.on("message", (data, isBinary) => {
        if (isBinary) {
          session.fatal(new ProtocolError("Binary messages are not supported"));
          return;
        }
        void ready.then(() => session.handleRaw(data.toString()));
      });
      ws.on("close", () => {
        session.markClosed();
        sessions.delete(session);
      });
      ws.on("error", () => {
        session.markClosed();
        sessions.delete(session);
      });
    });
  });
  const pingTimer = setInterval(() => {
    for (const session of sessions) session.ping();
  }, options.pingIntervalMs ?? 15_000);
  pingTimer.unref();

  readyResolve();
  const startupMs = Math.round(performance.now() - started);

  let closed = false;
  return {
    url,
    siteUrl,
    port,
    sitePort,
    startupMs,
    engine,
    flush: async () => {
      await engine.settled();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(pingTimer);
      crons?.stop();
      for (const timer of jobTimers) clearTimeout(timer);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await Promise.all(
        [apiServer, siteServer].map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
      await engine.settled();
      unsubscribeCommit();
      engine.setDurableSink(null);
      await store?.close();
    },
  };
}
