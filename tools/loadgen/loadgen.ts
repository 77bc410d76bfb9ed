/**
 * Load generator for demos and benchmarks. Posts Convex log-stream batches (JSON array or JSONL,
 * at most 128 events, signed like Convex signs them) with the demo traffic mix, re-sends a few
 * batches as Convex's retries would, and with --email/--password calls the instrumented tasks
 * functions for real. Bounded: it stops after --duration seconds even when the backend is slower
 * than the rate asked (batches it could not send in time are counted as not sent, requests still
 * open at the end are abandoned), and reports the webhook latencies it saw.
 */
import { existsSync, readFileSync } from "node:fs";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { generateTraffic } from "../../convex/metrics/model/demoTraffic.ts";
import type { RawLogEvent } from "../../convex/lib/logEvent.ts";
import { MAX_EVENTS_PER_BATCH, signBody } from "../../convex/metrics/model/logStream.ts";
import { parseEnvFile } from "../local-backend/localEnv.ts";

export type LoadgenOptions = {
  siteUrl: string;
  convexUrl: string;
  secret: string;
  perMinute: number;
  durationSeconds: number;
  format: "json" | "jsonl";
  retryShare: number;
  /** Webhook requests in flight at once, as Convex's log stream sender keeps several. */
  concurrency: number;
  email: string | undefined;
  password: string | undefined;
  /** The traffic starts this many seconds ago; the past part is sent at once, as a stream catching up. */
  backfillSeconds?: number;
  slower?: { functionPath: string; factor: number } | undefined;
};

const USAGE = `npm run loadgen -- [--rate <executions per minute, default 600>] [--duration <seconds, default 60>]
  [--format json|jsonl] [--concurrency <requests in flight, default 4>] [--site-url http://127.0.0.1:3211] [--convex-url http://127.0.0.1:3210]
  [--secret <webhook secret; default LOG_STREAM_WEBHOOK_SECRET or .local/backend.env>]
  [--email <operator> --password <password>: also call the tasks functions as that operator]
  [--backfill <seconds: the traffic starts that long ago; its past part is sent at once, then it runs live>]
  [--slow <function path, e.g. tasks:list> [--slow-factor <default 5>]: that function's calls take longer]`;

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
  const known = [
    "rate",
    "duration",
    "format",
    "concurrency",
    "site-url",
    "convex-url",
    "secret",
    "email",
    "password",
    "backfill",
    "slow",
    "slow-factor",
  ];
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
  const concurrency = Number(flags.get("concurrency") ?? 4);
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64))
    throw new Error("--concurrency must be a whole number between 1 and 64");
  const backfillSeconds = Number(flags.get("backfill") ?? 0);
  if (!(backfillSeconds >= 0 && backfillSeconds <= 24 * 3600))
    throw new Error("--backfill must be between 0 and 86400 seconds");
  const slowFactor = Number(flags.get("slow-factor") ?? 5);
  if (!(slowFactor > 0 && slowFactor <= 1000)) throw new Error("--slow-factor must be between 0 and 1000");
  const slowPath = flags.get("slow");
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
    concurrency,
    email: flags.get("email") ?? env.LOADGEN_EMAIL,
    password: flags.get("password") ?? env.LOADGEN_PASSWORD,
    backfillSeconds,
    slower: slowPath === undefined ? undefined : { functionPath: slowPath, factor: slowFactor },
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

export type Totals = {
  requests: number;
  /** Events in the batches sent (retries not counted again). */
  events: number;
  /** Events generated for the run that could not be sent before --duration was up. */
  eventsNotSent: number;
  /** Requests abandoned still unanswered when --duration was up. */
  unanswered: number;
  /** Milliseconds from sending a webhook request to its answer, answered requests only. */
  latenciesMs: number[];
  accepted: number;
  duplicates: number;
  replaysRejected: number;
  httpErrors: number;
  taskCalls: number;
  taskErrors: number;
};

async function post(
  options: LoadgenOptions,
  body: string,
  totals: Totals,
  deadline: AbortSignal,
): Promise<void> {
  const bytes = new TextEncoder().encode(body);
  totals.requests++;
  const sentAt = performance.now();
  try {
    const response = await fetch(`${options.siteUrl}/log-stream`, {
      method: "POST",
      headers: {
        "content-type": options.format === "json" ? "application/json" : "application/x-ndjson",
        "x-webhook-signature": await signBody(options.secret, bytes),
      },
      body: bytes,
      signal: deadline,
    });
    const text = await response.text();
    totals.latenciesMs.push(performance.now() - sentAt);
    if (!response.ok) {
      totals.httpErrors++;
      if (totals.httpErrors <= 3) console.error(`log-stream answered ${response.status}: ${text}`);
      return;
    }
    const summary = JSON.parse(text) as { accepted: number; duplicates: number; replaysRejected: number };
    totals.accepted += summary.accepted;
    totals.duplicates += summary.duplicates;
    totals.replaysRejected += summary.replaysRejected;
  } catch (error) {
    if (deadline.aborted) {
      totals.unanswered++;
      return;
    }
    totals.httpErrors++;
    if (totals.httpErrors <= 3)
      console.error(`log-stream unreachable at ${options.siteUrl}: ${(error as Error).message}`);
  }
}

/** The p-th percentile (0–100) of unsorted values, by nearest rank; null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
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
    eventsNotSent: 0,
    unanswered: 0,
    latenciesMs: [],
    accepted: 0,
    duplicates: 0,
    replaysRejected: 0,
    httpErrors: 0,
    taskCalls: 0,
    taskErrors: 0,
  };
  const client = await signedInClient(options);
  const started = Date.now();
  // --duration bounds the run; with --backfill the traffic's span starts that long ago, so it ends sooner.
  const stopAt = started + options.durationSeconds * 1000;
  const backfillSeconds = options.backfillSeconds ?? 0;
  const trafficFrom = started - backfillSeconds * 1000;
  const trafficTo = trafficFrom + options.durationSeconds * 1000;
  const deadline = AbortSignal.timeout(Math.max(0, stopAt - Date.now()));
  // Traffic is generated on the clock, one window a second, into a queue that a fixed number of
  // senders drain: a slow backend makes the queue grow, never the run longer.
  const queue: { body: string; events: number }[] = [];
  let generating = true;
  const waiting: (() => void)[] = [];
  const sender = async () => {
    while (!deadline.aborted) {
      const next = queue.shift();
      if (next === undefined) {
        if (!generating) return;
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      totals.events += next.events;
      await post(options, next.body, totals, deadline);
      if (Math.random() < options.retryShare && !deadline.aborted)
        await post(options, next.body, totals, deadline);
    }
  };
  const wakeAll = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  const senders = Array.from({ length: options.concurrency }, () => sender());
  const deadlinePassed = new Promise<void>((resolve) => deadline.addEventListener("abort", () => resolve()));
  const enqueue = (events: RawLogEvent[]) => {
    for (const batch of splitIntoBatches(events))
      queue.push({ body: encodeBatch(batch, options.format), events: batch.length });
    wakeAll();
  };
  if (backfillSeconds > 0) {
    enqueue(
      generateTraffic({
        from: trafficFrom,
        to: Math.min(started, trafficTo),
        perMinute: options.perMinute,
        seed: trafficFrom,
        slower: options.slower,
      }),
    );
  }
  let windowStart = started;
  let tick = 0;
  const tasksRunning: Promise<void>[] = [];
  while (Date.now() < Math.min(stopAt, trafficTo)) {
    await Promise.race([
      new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStart + 1000 - Date.now()))),
      deadlinePassed,
    ]);
    const windowEnd = Math.min(Date.now(), stopAt, trafficTo);
    if (windowEnd <= windowStart) break;
    enqueue(
      generateTraffic({
        from: windowStart,
        to: windowEnd,
        perMinute: options.perMinute,
        seed: windowStart,
        slower: options.slower,
      }),
    );
    windowStart = windowEnd;
    tick++;
    if (client !== null && tick % 2 === 0) tasksRunning.push(exerciseTasks(client, tick, totals));
    if (tick % 10 === 0)
      log(
        `loadgen ${Math.round((Date.now() - started) / 1000)}s: ${totals.events} events sent, ` +
          `${totals.accepted} accepted, ${queue.length} batches waiting`,
      );
  }
  generating = false;
  wakeAll();
  await Promise.race([Promise.all(senders), deadlinePassed]);
  totals.eventsNotSent = queue.reduce((total, batch) => total + batch.events, 0);
  queue.length = 0;
  await Promise.race([Promise.all(tasksRunning), deadlinePassed]);
  return totals;
}

/** The closing summary: what was sent, what came back, and the webhook latencies seen. */
export function summaryLines(totals: Totals): string[] {
  const ms = (p: number) => {
    const value = percentile(totals.latenciesMs, p);
    return value === null ? "none" : value.toFixed(1);
  };
  return [
    `loadgen done requests=${totals.requests} events_sent=${totals.events} events_not_sent=${totals.eventsNotSent} ` +
      `accepted=${totals.accepted} duplicates=${totals.duplicates} replays_rejected=${totals.replaysRejected} ` +
      `unanswered=${totals.unanswered} http_errors=${totals.httpErrors} task_calls=${totals.taskCalls} task_errors=${totals.taskErrors}`,
    `webhook_p50_ms=${ms(50)} webhook_p95_ms=${ms(95)} webhook_p99_ms=${ms(99)}`,
  ];
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
  for (const line of summaryLines(totals)) console.log(line);
  if (totals.eventsNotSent > 0 || totals.unanswered > 0)
    console.log(
      "The backend was slower than the rate asked: lower --rate, or raise --concurrency, to send everything.",
    );
  process.exit(totals.httpErrors > 0 || totals.taskErrors > 0 ? 1 : 0);
}
