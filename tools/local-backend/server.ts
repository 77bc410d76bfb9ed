/**
 * The offline local backend's lifecycle: runs a `convex/` folder with the convex-test engine and
 * serves Convex's client protocols.
 *
 *   <url>        WebSocket sync at /api/<version>/sync, HTTP function API, file storage, /version
 *   <siteUrl>    the HTTP actions of convex/http.ts
 *
 * Starting: listen on both ports, load the functions, open the durable store, re-arm scheduled
 * jobs, seed an empty store, start crons. Stopping: close connections, wait until every commit is
 * durable, close the store. The parts: `httpApi.ts`, `siteProxy.ts`, `functionRunner.ts` (shared
 * by HTTP and `sync.ts`), `persistence.ts`, `convexTestAdapter.ts`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { WebSocketServer } from "ws";
import { jsonToConvex, type Value } from "convex/values";
import { Engine, runWithEnv } from "./convexTestAdapter.ts";
import { AuthVerifier, type AuthProviderConfig } from "./auth.ts";
import { CronRunner, type CronSpec } from "./crons.ts";
import { collectModules, findFunction, kindOf, loadOptional } from "./modules.ts";
import { Store } from "./persistence.ts";
import { ProtocolError, SyncSession } from "./sync.ts";
import { FunctionRunner } from "./functionRunner.ts";
import { httpApiHandler } from "./httpApi.ts";
import { siteHandler } from "./siteProxy.ts";
import { AdminKeyCheck } from "./adminKey.ts";
import { adminApiHandler, registerSnapshotQueries } from "./adminApi.ts";
import { SnapshotExports } from "./snapshotExport.ts";
import { SnapshotImports } from "./snapshotImport.ts";
import { EXPORTS_TABLE, IMPORTS_TABLE, SystemTables } from "./systemTables.ts";
import { listen, sendJson } from "./httpHelpers.ts";

export { formatFunctionError } from "./functionRunner.ts";

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
  /** Environment variables the functions see (over the process's own, which stay unchanged). */
  env?: Record<string, string>;
  /** Largest accepted body for the function API and HTTP actions (default 16 MiB). */
  maxBodyBytes?: number;
  /** Largest accepted file upload (default 64 MiB). */
  maxUploadBytes?: number;
  /** Interval between Pings on idle sync connections (default 15 s; the client gives up after 60 s). */
  pingIntervalMs?: number;
  runCrons?: boolean;
  /**
   * The deployment's admin key (self-hosted format): it authenticates the admin API (snapshot
   * export and import) and system queries, and the functions see it with the deployment's URL
   * as CONVEX_SELF_HOSTED_ADMIN_KEY / CONVEX_SELF_HOSTED_URL. Null: no admin access.
   */
  adminKey?: string | null;
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
  exports: SnapshotExports;
  imports: SnapshotImports;
  /** Waits until every commit so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 64 * 1024 * 1024;

export async function startLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const started = performance.now();
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((m: string) => console.log(`[local-backend] ${m}`));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;

  // Both ports are taken first (port 0 picks free ones); requests wait until everything is ready.
  let handlers: {
    api: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    site: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  } | null = null;
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const apiServer = createServer((req, res) => {
    void ready
      .then(() => handlers!.api(req, res))
      .catch((error: unknown) => {
        log(`request failed: ${String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { code: "InternalServerError", message: String(error) });
        else res.destroy();
      });
  });
  const siteServer = createServer((req, res) => {
    void ready
      .then(() => handlers!.site(req, res))
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

  // The functions see their deployment's URLs and the given variables; the process's own
  // environment is left as it is (and a URL set there wins, as a deployment's own would).
  const env: Record<string, string> = { ...options.env };
  const adminKey = options.adminKey ?? null;
  for (const [name, value] of [
    ["CONVEX_CLOUD_URL", url],
    ["CONVEX_SITE_URL", siteUrl],
  ] as const) {
    if (env[name] === undefined && process.env[name] === undefined) env[name] = value;
  }
  // The admin key and the URL it opens go together: a URL the shell exports for the Convex CLI
  // (another deployment) must not be paired with this backend's key.
  if (adminKey) {
    env.CONVEX_SELF_HOSTED_URL = options.env?.CONVEX_SELF_HOSTED_URL ?? url;
    env.CONVEX_SELF_HOSTED_ADMIN_KEY = adminKey;
  }
  const modules = collectModules(options.convexDir);
  // Config modules may read the environment when they load (auth.config.ts reads the site URL).
  const load = (name: string) => runWithEnv(env, () => loadOptional(modules, name));
  const schemaModule = await load("schema");
  const engine = await Engine.create({
    schema: schemaModule?.default ?? null,
    modules: modules.loaders,
    storageBaseUrl: () => url,
    siteUrl: () => siteUrl,
    env,
  });
  const authConfig = (await load("auth.config"))?.default as { providers?: AuthProviderConfig[] } | undefined;
  const auth = new AuthVerifier(authConfig?.providers ?? [], { ...process.env, ...env });
  const adminKeyCheck = new AdminKeyCheck(adminKey);
  const runner = new FunctionRunner(engine, modules, auth, log, adminKeyCheck);

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

  // The backend's own records (snapshot exports and imports) and their files.
  const snapshotsDir = options.dataDir
    ? join(resolve(options.dataDir), "snapshots")
    : mkdtempSync(join(tmpdir(), "local-backend-snapshots-"));
  const system = new SystemTables(engine.tableNumbers, store, store?.loadSystemDocuments() ?? []);
  const saveTableNumbers = async () => {
    await store?.writeTableNumbers(engine.tableNumbers.entries());
  };
  for (const table of ["_storage", "_scheduled_functions", EXPORTS_TABLE, IMPORTS_TABLE]) {
    engine.tableNumbers.assign(table);
  }
  if (engine.tableNumbers.takeChanged()) await saveTableNumbers();
  const exports = new SnapshotExports(engine, system, join(snapshotsDir, "exports"), log, saveTableNumbers);
  const imports = new SnapshotImports(engine, system, join(snapshotsDir, "imports"), log, saveTableNumbers);
  registerSnapshotQueries(
    runner,
    exports,
    imports,
    (table) => engine.committedSnapshot().tables.get(table)?.length ?? 0,
  );
  handlers = {
    api: httpApiHandler(engine, runner, {
      url,
      maxBodyBytes: maxBody,
      maxUploadBytes: maxUpload,
      admin: adminApiHandler(adminKeyCheck, exports, imports),
    }),
    site: siteHandler(engine, runner, maxBody),
  };
  if (store) {
    const lost = await engine.failLostJobs(store.startedJobIds());
    await store.clearStartedJobs();
    if (lost > 0) log(`failed ${lost} scheduled job(s) that were running when the backend stopped`);
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
  const unsubscribeSystem = system.onChange((table) => {
    for (const session of sessions) session.onCommit(new Set([table]));
  });
  exports.resumeInterrupted();
  await imports.failInterrupted();

  if (options.seedFunction && startedEmpty) {
    await engine.runMutation(options.seedFunction, {}, null);
    log(`seeded the empty store with ${options.seedFunction}`);
  }

  // Crons.
  let crons: CronRunner | null = null;
  const cronModule = await load("crons");
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

  // WebSocket sync.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  apiServer.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", url).pathname;
    if (!/^\/api\/[^/]+\/sync$/.test(path)) {
      socket.write("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new SyncSession(ws, runner);
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
    exports,
    imports,
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
      await exports.idle();
      await engine.settled();
      unsubscribeCommit();
      unsubscribeSystem();
      if (!options.dataDir) rmSync(snapshotsDir, { recursive: true, force: true });
      engine.setDurableSink(null);
      await store?.close();
    },
  };
}
