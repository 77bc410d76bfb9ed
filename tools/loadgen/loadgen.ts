/**
 * Load generator for demos and benchmarks. Posts Convex log-stream batches (JSON array or JSONL,
 * at most 128 events, signed like Convex signs them) with the demo traffic mix, re-sends a few
 * batches as Convex's retries would, and with --email/--password calls the instrumented tasks
 * functions for real. Bounded: it stops after --duration seconds.
 */
import { existsSync, readFileSync } from "node:fs";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { generateTraffic } from "../../convex/metrics/model/demoTraffic.ts";
import { MAX_EVENTS_PER_BATCH, signBody, type RawLogEvent } from "../../convex/metrics/model/logStream.ts";
import { parseEnvFile } from "../local-backend/localEnv.ts";

export type LoadgenOptions = {
  siteUrl: string;
  convexUrl: string;
  secret: string;
  perMinute: number;
  durationSeconds: number;
  format: "json" | "jsonl";
  retryShare: number;
  email: string | undefined;
  password: string | undefined;
};

const USAGE = `npm run loadgen -- [--rate <executions per minute, default 600>] [--duration <seconds, default 60>]
  [--format json|jsonl] [--site-url http://127.0.0.1:3211] [--convex-url http://127.0.0.1:3210]
  [--secret <webhook secret; default LOG_STREAM_WEBHOOK_SECRET or .local/backend.env>]
  [--email <operator> --password <password>: also call the tasks functions as that operator]`;

export function parseOptions(argv: string[], env: Record<string, string | undefined>): LoadgenOptions {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    const value = argv[index + 1];
    if (!flag.startsWith("--") || value === undefined)
      throw new Error(`Unexpected argument ${flag}\n${USAGE}`);
    flags.set(flag.slice(2), value);
    index++;
  }
  const known = ["rate", "duration", "format", "site-url", "convex-url", "secret", "email", "password"];
  const unknown = [...flags.keys()].filter((flag) => !known.includes(flag));
  if (unknown.length > 0) throw new Error(`Unknown option --${unknown[0]}\n${USAGE}`);
  const localEnv = existsSync(".local/backend.env")
    ? parseEnvFile(readFileSync(".local/backend.env", "utf8"))
    : {};
  const secret = flags.get("secret") ?? env.LOG_STREAM_WEBHOOK_SECRET ?? localEnv.LOG_STREAM_WEBHOOK_SECRET;
  if (!secret) throw new Error("No webhook secret: pass --secret, or run `npm start` once (it creates one).");
  const perMinute = Number(flags.get("rate") ?? 600);
  const durationSeconds = Number(flags.get("duration") ?? 60);
  if (!(perMinute > 0 && perMinute <= 60_000))
    throw new Error("--rate must be between 1 and 60000 executions per minute");
  if (!(durationSeconds > 0 && durationSeconds <= 3600))
    throw new Error("--duration must be between 1 and 3600 seconds");
  const format = flags.get("format") ?? "json";
  if (format !== "json" && format !== "jsonl") throw new Error("--format must be json or jsonl");
  return {
    siteUrl: flags.get("site-url") ?? "http://127.0.0.1:3211",
    convexUrl: flags.get("convex-url") ?? "http://127.0.0.1:3210",
    secret,
    perMinute,
    durationSeconds,
    format,
    retryShare: 0.02,
    email: flags.get("email") ?? env.LOADGEN_EMAIL,
    password: flags.get("password") ?? env.LOADGEN_PASSWORD,
  };
}

export function encodeBatch(events: RawLogEvent[], format: "json" | "jsonl"): string {
  return format === "json" ? JSON.stringify(events) : events.map((event) => JSON.stringify(event)).join("\n");
}

export function splitIntoBatches(events: RawLogEvent[]): RawLogEvent[][] {
  const batches: RawLogEvent[][] = [];
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_BATCH) {
    batches.push(events.slice(start, start + MAX_EVENTS_PER_BATCH));
  }
  return batches;
}

type Totals = {
  requests: number;
  events: number;
  accepted: number;
  duplicates: number;
  replaysRejected: number;
  httpErrors: number;
  taskCalls: number;
  taskErrors: number;
};

async function post(options: LoadgenOptions, body: string, totals: Totals): Promise<void> {
  const bytes = new TextEncoder().encode(body);
  totals.requests++;
  try {
    const response = await fetch(`${options.siteUrl}/log-stream`, {
      method: "POST",
      headers: {
        "content-type": options.format === "json" ? "application/json" : "application/x-ndjson",
        "x-webhook-signature": await signBody(options.secret, bytes),
      },
      body: bytes,
    });
    if (!response.ok) {
      totals.httpErrors++;
      if (totals.httpErrors <= 3)
        console.error(`log-stream answered ${response.status}: ${await response.text()}`);
      return;
    }
    const summary = (await response.json()) as {
      accepted: number;
      duplicates: number;
      replaysRejected: number;
    };
    totals.accepted += summary.accepted;
    totals.duplicates += summary.duplicates;
    totals.replaysRejected += summary.replaysRejected;
  } catch (error) {
    totals.httpErrors++;
    if (totals.httpErrors <= 3)
      console.error(`log-stream unreachable at ${options.siteUrl}: ${(error as Error).message}`);
  }
}

const tasks = {
  create: makeFunctionReference<"mutation", { text: string; priority: "low" | "medium" | "high" }, string>(
    "tasks/tasks:create",
  ),
  list: makeFunctionReference<"query", { completed?: boolean; limit?: number }, Array<{ _id: string }>>(
    "tasks/tasks:list",
  ),
  setCompleted: makeFunctionReference<"mutation", { taskId: string; completed: boolean }>(
    "tasks/tasks:setCompleted",
  ),
};

async function signedInClient(options: LoadgenOptions): Promise<ConvexHttpClient | null> {
  if (!options.email || !options.password) return null;
  const client = new ConvexHttpClient(options.convexUrl);
  const signIn = makeFunctionReference<
    "action",
    Record<string, unknown>,
    { tokens?: { token: string } | null }
  >("auth:signIn");
  const result = await client.action(signIn, {
    provider: "password",
    params: { email: options.email, password: options.password, flow: "signIn" },
  });
  if (!result.tokens?.token) throw new Error(`Could not sign in as ${options.email}`);
  client.setAuth(result.tokens.token);
  return client;
}

async function exerciseTasks(client: ConvexHttpClient, tick: number, totals: Totals): Promise<void> {
  try {
    totals.taskCalls++;
    const open = await client.query(tasks.list, { completed: false, limit: 20 });
    if (open.length > 10) {
      totals.taskCalls++;
      await client.mutation(tasks.setCompleted, { taskId: open[open.length - 1]!._id, completed: true });
    } else {
      totals.taskCalls++;
      await client.mutation(tasks.create, {
        text: `Load test task ${tick}`,
        priority: (["low", "medium", "high"] as const)[tick % 3]!,
      });
    }
  } catch (error) {
    totals.taskErrors++;
    if (totals.taskErrors <= 3) console.error(`tasks call failed: ${(error as Error).message}`);
  }
}

export async function runLoad(
  options: LoadgenOptions,
  log: (line: string) => void = console.log,
): Promise<Totals> {
  const totals: Totals = {
    requests: 0,
    events: 0,
    accepted: 0,
    duplicates: 0,
    replaysRejected: 0,
    httpErrors: 0,
    taskCalls: 0,
    taskErrors: 0,
  };
  const client = await signedInClient(options);
  const started = Date.now();
  const stopAt = started + options.durationSeconds * 1000;
  let windowStart = started;
  let tick = 0;
  while (Date.now() < stopAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStart + 1000 - Date.now())));
    const windowEnd = Math.min(Date.now(), stopAt);
    const events = generateTraffic({
      from: windowStart,
      to: windowEnd,
      perMinute: options.perMinute,
      seed: windowStart,
    });
    windowStart = windowEnd;
    tick++;
    for (const batch of splitIntoBatches(events)) {
      const body = encodeBatch(batch, options.format);
      totals.events += batch.length;
      await post(options, body, totals);
      if (Math.random() < options.retryShare) await post(options, body, totals);
    }
    if (client !== null && tick % 2 === 0) await exerciseTasks(client, tick, totals);
    if (tick % 10 === 0)
      log(
        `loadgen ${Math.round((Date.now() - started) / 1000)}s: ${totals.events} events, ${totals.accepted} accepted`,
      );
  }
  return totals;
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  let options: LoadgenOptions;
  try {
    options = parseOptions(argv, process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  console.log(
    `loadgen: ${options.perMinute} executions/min for ${options.durationSeconds}s to ${options.siteUrl}/log-stream` +
      (options.email ? `, tasks as ${options.email}` : " (no --email: tasks functions not called)"),
  );
  const totals = await runLoad(options);
  console.log(
    `loadgen done requests=${totals.requests} events=${totals.events} accepted=${totals.accepted} ` +
      `duplicates=${totals.duplicates} replays_rejected=${totals.replaysRejected} http_errors=${totals.httpErrors} ` +
      `task_calls=${totals.taskCalls} task_errors=${totals.taskErrors}`,
  );
  process.exit(totals.httpErrors > 0 || totals.taskErrors > 0 ? 1 : 0);
}
