/**
 * One way to run a deployment's functions, shared by the HTTP function API and the sync
 * protocol: finds the function (public ones; internal ones too for the admin key, as Convex does), captures its log lines, reads the caller's
 * identity, formats errors as Convex does, and shares query executions per database version.
 */
import type { IncomingMessage } from "node:http";
import { convexToJson, type Value } from "convex/values";
import type { Engine, Identity } from "./convexTestAdapter.ts";
import { AuthFailure, type AuthVerifier } from "./auth.ts";
import { AdminKeyCheck, BAD_ADMIN_KEY, credentialOf } from "./adminKey.ts";
import { canonicalUdfPath, collectModules, findCallableFunction, type UdfKind } from "./modules.ts";
import { withLogCapture } from "./logCapture.ts";
import { ProtocolError, type SyncBackend } from "./sync.ts";

type Modules = ReturnType<typeof collectModules>;
/** A built-in query of the backend (`_system/...`), callable only with the admin key. */
export interface SystemQuery {
  /** Table names whose changes re-run it for subscribers. */
  tables: string[];
  run(args: Record<string, Value>): Value;
}

type QueryResult = { value: unknown; tables: Set<string>; logLines: string[]; endCursor: string | null };

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

/** A request presented an admin key that is not this deployment's. */
export class BadAdminKeyError extends Error {
  readonly code = BAD_ADMIN_KEY.code;
  constructor() {
    super(BAD_ADMIN_KEY.message);
  }
}

function notFound(udfPath: string): ProtocolError {
  return new ProtocolError(
    `Could not find public function for '${canonicalUdfPath(udfPath)}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
  );
}

function isSystemPath(udfPath: string): boolean {
  return udfPath.replace(/^\/+/, "").startsWith("_system/");
}

/** Who calls: a user's identity (or none), and whether the caller presented the admin key. */
export interface Caller {
  identity: Identity | null;
  admin: boolean;
}

export class FunctionRunner implements SyncBackend {
  private readonly queryCache = new Map<string, Promise<QueryResult>>();
  private queryCacheTs = -1n;
  private readonly systemQueries = new Map<string, SystemQuery>();

  constructor(
    private readonly engine: Engine,
    private readonly modules: Modules,
    private readonly auth: AuthVerifier,
    readonly log: (message: string) => void,
    private readonly adminKey: AdminKeyCheck = new AdminKeyCheck(null),
  ) {}

  /** Adds a built-in system query under its path (e.g. "_system/cli/exports:getLatest"). */
  registerSystemQuery(udfPath: string, query: SystemQuery) {
    this.systemQueries.set(canonicalUdfPath(udfPath), query);
  }

  verifyAdminKey(key: string): boolean {
    return this.adminKey.matches(key);
  }

  /** Runs a system query for an admin caller; anyone else is told it does not exist. */
  private runSystemQuery(udfPath: string, args: Record<string, Value>, admin: boolean) {
    const query = this.systemQueries.get(canonicalUdfPath(udfPath));
    if (!admin) {
      throw new ProtocolError(
        `${canonicalUdfPath(udfPath)} is a system function: only a caller with the deployment's admin key may run it.`,
      );
    }
    if (!query) throw notFound(udfPath);
    return { value: query.run(args), tables: new Set(query.tables), logLines: [] as string[] };
  }

  lastCommitTs(): bigint {
    return this.engine.lastCommitTs;
  }

  verifyToken(token: string): Promise<Identity> {
    return this.auth.verify(token);
  }

  formatError(error: unknown) {
    return formatFunctionError(error);
  }

  /**
   * The caller of an HTTP request: a user (`Authorization: Bearer <jwt>`), an admin
   * (`Authorization: Convex <admin key>` or `?adminKey=`), or anonymous. A wrong admin key
   * throws `BadAdminKeyError`.
   */
  async callerFromRequest(req: IncomingMessage, url: URL): Promise<Caller> {
    const credential = credentialOf(req, url);
    switch (credential.kind) {
      case "none":
        return { identity: null, admin: false };
      case "admin":
        if (!this.adminKey.matches(credential.key)) throw new BadAdminKeyError();
        return { identity: null, admin: true };
      case "user":
        if (!credential.token) throw new AuthFailure(`Unsupported authorization scheme "Bearer"`);
        return { identity: await this.auth.verify(credential.token), admin: false };
      default:
        throw new AuthFailure(`Unsupported authorization scheme "${credential.scheme}"`);
    }
  }

  /**
   * Like Convex's query cache: runs of the same query, arguments, identity and journal share one
   * execution per database version.
   */
  async runQuery(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
    journal: { endCursor: string | null } | null,
    admin = false,
  ) {
    if (isSystemPath(udfPath)) return this.runSystemQuery(udfPath, args, admin);
    const ts = this.engine.lastCommitTs;
    if (ts !== this.queryCacheTs) {
      this.queryCache.clear();
      this.queryCacheTs = ts;
    }
    const key = JSON.stringify([
      canonicalUdfPath(udfPath),
      convexToJson(args),
      identity,
      admin,
      journal?.endCursor ?? null,
    ]);
    let entry = this.queryCache.get(key);
    if (!entry) {
      entry = (async () => {
        await this.requireCallable(udfPath, "query", admin);
        const ownJournal = journal ? { endCursor: journal.endCursor } : null;
        const path = canonicalUdfPath(udfPath);
        const { value: result, logLines } = await withLogCapture(`Q(${path})`, () =>
          this.engine.runQuery(path, args, identity, ownJournal),
        );
        return { ...result, logLines, endCursor: ownJournal?.endCursor ?? null };
      })();
      this.queryCache.set(key, entry);
      if (this.queryCache.size > 10_000) this.queryCache.clear();
    }
    const result = await entry;
    if (journal) journal.endCursor = result.endCursor;
    return { value: result.value, tables: new Set(result.tables), logLines: result.logLines };
  }

  async runMutation(udfPath: string, args: Record<string, Value>, identity: Identity | null, admin = false) {
    await this.requireCallable(udfPath, "mutation", admin);
    const path = canonicalUdfPath(udfPath);
    const { value, logLines } = await withLogCapture(`M(${path})`, () =>
      this.engine.runMutation(path, args, identity),
    );
    return { ...value, logLines };
  }

  async runAction(udfPath: string, args: Record<string, Value>, identity: Identity | null, admin = false) {
    await this.requireCallable(udfPath, "action", admin);
    const path = canonicalUdfPath(udfPath);
    const { value, logLines } = await withLogCapture(`A(${path})`, () =>
      this.engine.runAction(path, args, identity),
    );
    return { ...value, logLines };
  }

  /**
   * Runs a function of the given kind ("any": whichever it is) for the HTTP API: a public one, or
   * an internal one when the caller presented the admin key.
   */
  async run(
    kind: UdfKind | "any",
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
    admin = false,
  ): Promise<{ value: unknown; logLines: string[] }> {
    if (isSystemPath(udfPath) && kind !== "mutation" && kind !== "action") {
      return this.runSystemQuery(udfPath, args, admin);
    }
    const found = await findCallableFunction(this.modules, udfPath, kind, admin);
    if (found === null) throw notFound(udfPath);
    if (found === "query") return await this.runQuery(udfPath, args, identity, null, admin);
    if (found === "mutation") return await this.runMutation(udfPath, args, identity, admin);
    return await this.runAction(udfPath, args, identity, admin);
  }

  /** Anyone but the admin is told an internal function does not exist, as Convex answers. */
  private async requireCallable(udfPath: string, kind: UdfKind, admin: boolean) {
    if ((await findCallableFunction(this.modules, udfPath, kind, admin)) === null) throw notFound(udfPath);
  }
}
