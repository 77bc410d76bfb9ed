/**
 * One way to run a deployment's public functions, shared by the HTTP function API and the sync
 * protocol: finds the function (public only), captures its log lines, reads the caller's
 * identity, formats errors as Convex does, and shares query executions per database version.
 */
import type { IncomingMessage } from "node:http";
import { convexToJson, type Value } from "convex/values";
import type { Engine, Identity } from "./convexTestAdapter.ts";
import { AuthFailure, type AuthVerifier } from "./auth.ts";
import { canonicalUdfPath, collectModules, findPublicFunction, type UdfKind } from "./modules.ts";
import { withLogCapture } from "./logCapture.ts";
import { ProtocolError, type SyncBackend } from "./sync.ts";

type Modules = ReturnType<typeof collectModules>;
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

function notFound(udfPath: string): ProtocolError {
  return new ProtocolError(
    `Could not find public function for '${canonicalUdfPath(udfPath)}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`,
  );
}

export class FunctionRunner implements SyncBackend {
  private readonly queryCache = new Map<string, Promise<QueryResult>>();
  private queryCacheTs = -1n;

  constructor(
    private readonly engine: Engine,
    private readonly modules: Modules,
    private readonly auth: AuthVerifier,
    readonly log: (message: string) => void,
  ) {}

  lastCommitTs(): bigint {
    return this.engine.lastCommitTs;
  }

  verifyToken(token: string): Promise<Identity> {
    return this.auth.verify(token);
  }

  formatError(error: unknown) {
    return formatFunctionError(error);
  }

  /** The identity of an `Authorization: Bearer <jwt>` header; null without one. */
  async identityFromHeader(req: IncomingMessage): Promise<Identity | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    const [scheme, token] = header.split(" ", 2);
    if (scheme !== "Bearer" || !token) throw new AuthFailure(`Unsupported authorization scheme "${scheme}"`);
    return await this.auth.verify(token);
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
  ) {
    const ts = this.engine.lastCommitTs;
    if (ts !== this.queryCacheTs) {
      this.queryCache.clear();
      this.queryCacheTs = ts;
    }
    const key = JSON.stringify([
      canonicalUdfPath(udfPath),
      convexToJson(args),
      identity,
      journal?.endCursor ?? null,
    ]);
    let entry = this.queryCache.get(key);
    if (!entry) {
      entry = (async () => {
        await this.requirePublic(udfPath, "query");
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

  async runMutation(udfPath: string, args: Record<string, Value>, identity: Identity | null) {
    await this.requirePublic(udfPath, "mutation");
    const path = canonicalUdfPath(udfPath);
    const { value, logLines } = await withLogCapture(`M(${path})`, () =>
      this.engine.runMutation(path, args, identity),
    );
    return { ...value, logLines };
  }

  async runAction(udfPath: string, args: Record<string, Value>, identity: Identity | null) {
    await this.requirePublic(udfPath, "action");
    const path = canonicalUdfPath(udfPath);
    const { value, logLines } = await withLogCapture(`A(${path})`, () =>
      this.engine.runAction(path, args, identity),
    );
    return { ...value, logLines };
  }

  /** Runs a public function of the given kind ("any": whichever it is), for the HTTP API. */
  async run(
    kind: UdfKind | "any",
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<{ value: unknown; logLines: string[] }> {
    const found = await findPublicFunction(this.modules, udfPath, kind);
    if (found === null) throw notFound(udfPath);
    if (found === "query") return await this.runQuery(udfPath, args, identity, null);
    if (found === "mutation") return await this.runMutation(udfPath, args, identity);
    return await this.runAction(udfPath, args, identity);
  }

  private async requirePublic(udfPath: string, kind: UdfKind) {
    if ((await findPublicFunction(this.modules, udfPath, kind)) === null) throw notFound(udfPath);
  }
}
