/**
 * One WebSocket connection speaking Convex's sync protocol (the client side is
 * convex/dist/esm/browser/sync/*). Server state per connection: the version chain
 * `{querySet, identity, ts}`, the subscribed queries with the tables each run read, the identity,
 * and one ordered send queue, so Transitions always chain startVersion → endVersion.
 */
import type { WebSocket } from "ws";
import { decodeJwt } from "jose";
import { convexToJson, jsonToConvex, type Value } from "convex/values";
import type { Identity } from "./convexTestAdapter.ts";
import { logLinesOf } from "./logCapture.ts";

export interface SyncBackend {
  lastCommitTs(): bigint;
  verifyToken(token: string): Promise<Identity>;
  /** Whether `key` is the deployment's admin key. */
  verifyAdminKey(key: string): boolean;
  runQuery(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
    journal: { endCursor: string | null } | null,
    admin?: boolean,
  ): Promise<{ value: unknown; tables: Set<string>; logLines?: string[] }>;
  runMutation(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<{ value: unknown; commitTs: bigint | null; logLines?: string[] }>;
  runAction(
    udfPath: string,
    args: Record<string, Value>,
    identity: Identity | null,
  ): Promise<{ value: unknown; logLines?: string[] }>;
  formatError(error: unknown): { message: string; data?: unknown };
  log(message: string): void;
}

/** Raised for a function that does not exist or is not public (formatted like Convex). */
export class ProtocolError extends Error {}

const NO_COMPONENTS = "Components are not supported by the local backend";

/** The app's own functions have no component path; this backend runs no components. */
function isComponentPath(componentPath: unknown): boolean {
  return typeof componentPath === "string" && componentPath !== "";
}

function refuseComponents(componentPath: unknown) {
  if (isComponentPath(componentPath)) throw new ProtocolError(NO_COMPONENTS);
}

export function encodeTs(ts: bigint): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64LE(ts);
  return buf.toString("base64");
}

export function decodeTs(encoded: string): bigint {
  const buf = Buffer.from(encoded, "base64");
  if (buf.length !== 8) throw new ProtocolError("Invalid timestamp");
  return buf.readBigUInt64LE();
}

interface Version {
  querySet: number;
  identity: number;
  ts: bigint;
}

interface Subscription {
  udfPath: string;
  args: Record<string, Value>;
  journal: { endCursor: string | null };
  tables: Set<string> | null;
  lastResult: string | null;
}

type Modification =
  | { type: "QueryUpdated"; queryId: number; value: unknown; logLines: string[]; journal: string | null }
  | {
      type: "QueryFailed";
      queryId: number;
      errorMessage: string;
      logLines: string[];
      errorData?: unknown;
      journal: string | null;
    }
  | { type: "QueryRemoved"; queryId: number };

function serializeJournal(journal: { endCursor: string | null }): string | null {
  return journal.endCursor === null ? null : JSON.stringify({ endCursor: journal.endCursor });
}

function parseJournal(journal: unknown): { endCursor: string | null } {
  if (typeof journal !== "string") return { endCursor: null };
  try {
    const parsed = JSON.parse(journal) as { endCursor?: unknown };
    return { endCursor: typeof parsed.endCursor === "string" ? parsed.endCursor : null };
  } catch {
    return { endCursor: null };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireNumber(message: Record<string, unknown>, key: string): number {
  const value = message[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ProtocolError(
      `Malformed ${String(message.type)} message: "${key}" must be a non-negative integer`,
    );
  }
  return value;
}

function requireString(message: Record<string, unknown>, key: string): string {
  const value = message[key];
  if (typeof value !== "string")
    throw new ProtocolError(`Malformed ${String(message.type)} message: "${key}" must be a string`);
  return value;
}

function parseArgsArray(message: Record<string, unknown>): Record<string, Value> {
  const args = message.args;
  if (!Array.isArray(args) || args.length !== 1) {
    throw new ProtocolError(
      `Malformed ${String(message.type)} message: "args" must be an array with one object`,
    );
  }
  const value = jsonToConvex(args[0] as never);
  if (!isObject(value))
    throw new ProtocolError(`Malformed ${String(message.type)} message: args must be an object`);
  return value as Record<string, Value>;
}

export class SyncSession {
  private version: Version = { querySet: 0, identity: 0, ts: 0n };
  private readonly queries = new Map<number, Subscription>();
  private identity: Identity | null = null;
  /** Authenticated with the deployment's admin key (may run system queries). */
  private admin = false;
  /** Expiry (seconds since epoch) of the token behind `identity`. */
  private tokenExp: number | null = null;
  private dirty = new Set<string>();
  private sendChain: Promise<void> = Promise.resolve();
  private mutationChain: Promise<void> = Promise.resolve();
  /** Resolves once every Authenticate received so far has been processed. */
  private authBarrier: Promise<void> = Promise.resolve();
  private refreshQueued = false;
  private closed = false;
  sessionId: string | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly backend: SyncBackend,
  ) {}

  get isClosed() {
    return this.closed;
  }

  markClosed() {
    this.closed = true;
  }

  /** Called after every committed write anywhere in the backend. */
  onCommit(tables: Set<string>) {
    if (this.closed) return;
    for (const t of tables) this.dirty.add(t);
    let relevant = false;
    for (const sub of this.queries.values()) {
      if (sub.tables === null || [...tables].some((t) => sub.tables!.has(t))) {
        relevant = true;
        break;
      }
    }
    if (relevant) this.queueRefresh();
  }

  ping() {
    if (!this.closed) this.send({ type: "Ping" });
  }

  private send(message: unknown) {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(message));
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.sendChain.then(async () => {
      if (this.closed) return;
      try {
        await job();
      } catch (error) {
        this.fatal(error);
      }
    });
    this.sendChain = run;
    return run;
  }

  fatal(error: unknown) {
    if (this.closed) return;
    const message = error instanceof Error ? error.message : String(error);
    this.backend.log(`closing sync connection: ${message}`);
    this.send({ type: "FatalError", error: message });
    this.closed = true;
    this.ws.close(1011, message.slice(0, 120));
  }

  handleRaw(raw: string) {
    if (this.closed) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      this.fatal(new ProtocolError("Malformed message: not JSON"));
      return;
    }
    try {
      this.handle(message);
    } catch (error) {
      this.fatal(error);
    }
  }

  private handle(message: unknown) {
    if (!isObject(message) || typeof message.type !== "string") {
      throw new ProtocolError("Malformed message: expected an object with a `type`");
    }
    switch (message.type) {
      case "Connect": {
        this.sessionId = requireString(message, "sessionId");
        return;
      }
      case "ModifyQuerySet": {
        const baseVersion = requireNumber(message, "baseVersion");
        const newVersion = requireNumber(message, "newVersion");
        const modifications = message.modifications;
        if (!Array.isArray(modifications)) throw new ProtocolError("Malformed ModifyQuerySet: modifications");
        const parsed = modifications.map((m: unknown) => {
          if (!isObject(m)) throw new ProtocolError("Malformed ModifyQuerySet modification");
          if (m.type === "Add") {
            return {
              type: "Add" as const,
              queryId: requireNumber(m, "queryId"),
              udfPath: requireString(m, "udfPath"),
              args: parseArgsArray({ ...m, type: "ModifyQuerySet" }),
              journal: parseJournal(m.journal),
              componentPath: m.componentPath,
            };
          }
          if (m.type === "Remove") return { type: "Remove" as const, queryId: requireNumber(m, "queryId") };
          throw new ProtocolError(`Unknown query set modification ${String(m.type)}`);
        });
        void this.enqueue(() => this.modifyQuerySet(baseVersion, newVersion, parsed));
        return;
      }
      case "Authenticate": {
        const baseVersion = requireNumber(message, "baseVersion");
        const tokenType = message.tokenType;
        if (tokenType !== "None" && tokenType !== "User" && tokenType !== "Admin") {
          throw new ProtocolError("Malformed Authenticate: tokenType");
        }
        const value = tokenType === "None" ? null : requireString(message, "value");
        const done = this.enqueue(() => this.authenticate(baseVersion, tokenType, value));
        this.authBarrier = done;
        return;
      }
      case "Mutation":
      case "Action": {
        const requestId = requireNumber(message, "requestId");
        const udfPath = requireString(message, "udfPath");
        const args = parseArgsArray(message);
        const barrier = this.authBarrier;
        const run = (kind: "mutation" | "action") =>
          this.runFunction(kind, requestId, udfPath, args, message.componentPath);
        if (message.type === "Action") {
          void barrier.then(() => run("action"));
          return;
        }
        // Mutations run one after another, in the order the client sent them.
        const done = this.mutationChain.then(async () => {
          await barrier;
          await run("mutation");
        });
        this.mutationChain = done.catch(() => undefined);
        return;
      }
      case "Event":
        return;
      default:
        throw new ProtocolError(`Unknown message type ${JSON.stringify(message.type)}`);
    }
  }

  /** Like Convex: once the token in use expires, the connection gets an AuthError and closes
   *  (the client refreshes tokens before they expire, so this only hits stale clients). */
  private tokenExpired(): boolean {
    if (this.identity === null || this.tokenExp === null || Date.now() / 1000 < this.tokenExp) return false;
    this.send({
      type: "AuthError",
      error: "Token expired",
      baseVersion: this.version.identity - 1,
      authUpdateAttempted: false,
    });
    this.closed = true;
    setTimeout(() => this.ws.close(1000, "AuthError"), 10);
    return true;
  }

  private encodeVersion(v: Version) {
    return { querySet: v.querySet, identity: v.identity, ts: encodeTs(v.ts) };
  }

  private sendTransition(endVersion: Version, modifications: Modification[]) {
    const startVersion = this.version;
    this.version = endVersion;
    this.send({
      type: "Transition",
      startVersion: this.encodeVersion(startVersion),
      endVersion: this.encodeVersion(endVersion),
      modifications,
    });
  }

  private async evaluate(queryId: number, sub: Subscription): Promise<Modification | null> {
    try {
      if (sub.udfPath === "" || typeof sub.udfPath !== "string") throw new ProtocolError("Empty udfPath");
      const { value, tables, logLines } = await this.backend.runQuery(
        sub.udfPath,
        sub.args,
        this.identity,
        sub.journal,
        this.admin,
      );
      sub.tables = tables;
      const json = convexToJson(value as Value);
      const key = JSON.stringify(json);
      if (key === sub.lastResult) return null;
      sub.lastResult = key;
      return {
        type: "QueryUpdated",
        queryId,
        value: json,
        logLines: logLines ?? [],
        journal: serializeJournal(sub.journal),
      };
    } catch (error) {
      const { message, data } = this.backend.formatError(error);
      // A failed query is re-run when any table changes (it may not have read anything yet).
      sub.tables = sub.tables ?? null;
      const key = `error:${message}:${JSON.stringify(data ?? null)}`;
      if (key === sub.lastResult) return null;
      sub.lastResult = key;
      return {
        type: "QueryFailed",
        queryId,
        errorMessage: message,
        logLines: logLinesOf(error),
        ...(data !== undefined ? { errorData: data } : {}),
        journal: serializeJournal(sub.journal),
      };
    }
  }

  private async modifyQuerySet(
    baseVersion: number,
    newVersion: number,
    modifications: (
      | {
          type: "Add";
          queryId: number;
          udfPath: string;
          args: Record<string, Value>;
          journal: { endCursor: string | null };
          componentPath: unknown;
        }
      | { type: "Remove"; queryId: number }
    )[],
  ) {
    if (baseVersion !== this.version.querySet) {
      throw new ProtocolError(
        `Base version ${baseVersion} passed up doesn't match the current version ${this.version.querySet}`,
      );
    }
    if (newVersion <= baseVersion)
      throw new ProtocolError("ModifyQuerySet newVersion must be greater than baseVersion");
    const startTs = this.backend.lastCommitTs();
    const out: Modification[] = [];
    for (const m of modifications) {
      if (m.type === "Add") {
        if (this.queries.has(m.queryId)) throw new ProtocolError(`Duplicate query id ${m.queryId}`);
        const sub: Subscription = {
          udfPath: m.udfPath,
          args: m.args,
          journal: m.journal,
          tables: null,
          lastResult: null,
        };
        this.queries.set(m.queryId, sub);
        if (isComponentPath(m.componentPath)) {
          out.push({
            type: "QueryFailed",
            queryId: m.queryId,
            errorMessage: NO_COMPONENTS,
            logLines: [],
            journal: null,
          });
          continue;
        }
        const mod = await this.evaluate(m.queryId, sub);
        if (mod) out.push(mod);
      } else {
        if (!this.queries.delete(m.queryId))
          throw new ProtocolError(`Remove of unknown query id ${m.queryId}`);
        out.push({ type: "QueryRemoved", queryId: m.queryId });
      }
    }
    const ts = startTs > this.version.ts ? startTs : this.version.ts;
    this.sendTransition({ querySet: newVersion, identity: this.version.identity, ts }, out);
  }

  private async authenticate(baseVersion: number, tokenType: string, token: string | null) {
    if (baseVersion !== this.version.identity) {
      throw new ProtocolError(
        `Authenticate base version ${baseVersion} doesn't match the current identity version ${this.version.identity}`,
      );
    }
    let identity: Identity | null = null;
    if (tokenType === "User" && token !== null) {
      try {
        identity = await this.backend.verifyToken(token);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.send({ type: "AuthError", error: message, baseVersion, authUpdateAttempted: true });
        // Like Convex, an auth failure ends the connection; the client reconnects with fresh state.
        this.closed = true;
        setTimeout(() => this.ws.close(1000, "AuthError"), 10);
        return;
      }
    } else if (tokenType === "Admin" && (token === null || !this.backend.verifyAdminKey(token))) {
      this.send({
        type: "AuthError",
        error: "The provided admin key was invalid for this instance",
        baseVersion,
        authUpdateAttempted: true,
      });
      this.closed = true;
      setTimeout(() => this.ws.close(1000, "AuthError"), 10);
      return;
    }
    this.admin = tokenType === "Admin";
    this.identity = identity;
    this.tokenExp = null;
    if (identity !== null && token !== null && tokenType === "User") {
      const exp = decodeJwt(token).exp;
      this.tokenExp = typeof exp === "number" ? exp : null;
    }
    const startTs = this.backend.lastCommitTs();
    const out: Modification[] = [];
    for (const [queryId, sub] of this.queries) {
      const mod = await this.evaluate(queryId, sub);
      if (mod) out.push(mod);
    }
    const ts = startTs > this.version.ts ? startTs : this.version.ts;
    this.sendTransition({ querySet: this.version.querySet, identity: baseVersion + 1, ts }, out);
  }

  private queueRefresh() {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    void this.enqueue(async () => {
      this.refreshQueued = false;
      await this.refresh();
    });
  }

  /** Re-runs queries whose read tables were written; sends a Transition if anything changed
   *  or `force` (a mutation response waits for a Transition at or after its commit ts). */
  private async refresh(force = false) {
    if (this.tokenExpired()) return;
    const startTs = this.backend.lastCommitTs();
    const dirty = this.dirty;
    this.dirty = new Set();
    const out: Modification[] = [];
    for (const [queryId, sub] of this.queries) {
      if (sub.tables !== null && ![...sub.tables].some((t) => dirty.has(t))) continue;
      const mod = await this.evaluate(queryId, sub);
      if (mod) out.push(mod);
    }
    const ts = startTs > this.version.ts ? startTs : this.version.ts;
    if (out.length > 0 || force) {
      this.sendTransition({ ...this.version, ts }, out);
    }
  }

  /**
   * Runs a mutation or an action and answers as Convex does: a mutation's answer carries its
   * commit ts, and a Transition reaching that ts follows it.
   */
  private async runFunction(
    kind: "mutation" | "action",
    requestId: number,
    udfPath: string,
    args: Record<string, Value>,
    componentPath: unknown,
  ) {
    if (this.closed || this.tokenExpired()) return;
    const type = kind === "mutation" ? "MutationResponse" : "ActionResponse";
    let response: Record<string, unknown>;
    let commitTs: bigint | null = null;
    try {
      refuseComponents(componentPath);
      let result: { value: unknown; logLines?: string[] };
      if (kind === "mutation") {
        const mutation = await this.backend.runMutation(udfPath, args, this.identity);
        commitTs = mutation.commitTs ?? this.backend.lastCommitTs();
        result = mutation;
      } else {
        result = await this.backend.runAction(udfPath, args, this.identity);
      }
      response = {
        type,
        requestId,
        success: true,
        result: convexToJson(result.value as Value),
        ...(commitTs !== null ? { ts: encodeTs(commitTs) } : {}),
        logLines: result.logLines ?? [],
      };
    } catch (error) {
      const { message, data } = this.backend.formatError(error);
      response = {
        type,
        requestId,
        success: false,
        result: message,
        logLines: logLinesOf(error),
        ...(data !== undefined ? { errorData: data } : {}),
      };
    }
    await this.enqueue(async () => {
      this.send(response);
      if (commitTs !== null) {
        // The client resolves the mutation once a Transition reaches its commit ts; the
        // commit's own refresh may already have been sent, so always follow with one.
        await this.refresh(true);
      }
    });
  }
}
