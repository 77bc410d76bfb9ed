/**
 * Realistic log-stream traffic for demos, the seeded history and the load generator: many
 * functions with long-tailed durations, a daily rhythm with bursts, write conflicts, validation
 * errors, timeouts, rate limits and instrumented slow-query lines joined by request id, plus what
 * the usage page meters: action memory (a Node action among Convex-runtime ones), fetch egress,
 * search bytes, file downloads and hourly storage reports that grow slowly. Seeded, so the same
 * options give the same events.
 */
import type { RawLogEvent } from "../../lib/logEvent";
import { seededRandom } from "../../lib/seededRandom";
import { formatSlowQueryLine, newCorrelationId } from "../../lib/slowQuery";

const DEMO_DEPLOYMENT = {
  deployment_name: "demo-app-prod",
  deployment_type: "prod",
  project_name: "demo-app",
  project_slug: "demo-app",
};

type FunctionProfile = {
  path: string;
  type: "query" | "mutation" | "action" | "http_action";
  weight: number;
  /** Median duration and spread of its log-normal duration. */
  medianMs: number;
  spread: number;
  failures: Array<{ rate: number; message: string; occ?: boolean }>;
  /** Instrumented: logs the "Slow query detected" line when slow, with db calls and documents scanned. */
  instrumented?: { dbCalls: [number, number]; docsScanned: [number, number] };
  cacheRate?: number;
  /** Actions: the memory they run with (512 MB for Node, 64 MB for the Convex runtime) and fetch bytes sent. */
  action?: { memoryMb: number; egressBytes: number };
  /** Text index bytes one search reads. */
  searchBytes?: number;
};

const PROFILES: FunctionProfile[] = [
  {
    path: "tasks:list",
    type: "query",
    weight: 30,
    medianMs: 14,
    spread: 0.6,
    failures: [],
    cacheRate: 0.4,
    instrumented: { dbCalls: [1, 4], docsScanned: [5, 400] },
  },
  {
    path: "tasks:get",
    type: "query",
    weight: 12,
    medianMs: 6,
    spread: 0.5,
    failures: [
      { rate: 0.01, message: 'Uncaught ConvexError: {"code":"NOT_FOUND","message":"Task %ID% not found"}' },
    ],
    cacheRate: 0.3,
  },
  {
    path: "tasks:create",
    type: "mutation",
    weight: 6,
    medianMs: 22,
    spread: 0.5,
    failures: [
      {
        rate: 0.02,
        message: 'ArgumentValidationError: Value does not match validator.\nPath: .priority\nValue: "urgent"',
      },
    ],
    instrumented: { dbCalls: [2, 5], docsScanned: [1, 20] },
  },
  {
    path: "tasks:update",
    type: "mutation",
    weight: 8,
    medianMs: 25,
    spread: 0.6,
    failures: [
      {
        rate: 0.04,
        occ: true,
        message:
          'Documents read from or written to the "tasks" table changed while this mutation was being run and on every subsequent retry. Another call to this mutation changed the document with ID "%ID%".',
      },
    ],
  },
  { path: "tasks:remove", type: "mutation", weight: 2, medianMs: 18, spread: 0.4, failures: [] },
  {
    path: "users:me",
    type: "query",
    weight: 14,
    medianMs: 4,
    spread: 0.4,
    failures: [
      {
        rate: 0.005,
        message: 'Uncaught ConvexError: {"code":"UNAUTHENTICATED","message":"Sign in to continue."}',
      },
    ],
    cacheRate: 0.6,
  },
  {
    path: "messages:list",
    type: "query",
    weight: 10,
    medianMs: 30,
    spread: 0.8,
    failures: [],
    cacheRate: 0.2,
  },
  {
    path: "messages:send",
    type: "mutation",
    weight: 5,
    medianMs: 35,
    spread: 0.5,
    failures: [
      { rate: 0.02, message: "ArgumentValidationError: Object is missing the required field `body`." },
    ],
  },
  {
    path: "search:run",
    type: "query",
    searchBytes: 24 * 2 ** 20,
    weight: 4,
    medianMs: 120,
    spread: 0.9,
    failures: [
      {
        rate: 0.01,
        message: "Uncaught Error: Too many documents read in a single function execution (limit: 32000).",
      },
    ],
    instrumented: { dbCalls: [4, 24], docsScanned: [200, 14000] },
  },
  {
    path: "reports:generate",
    type: "action",
    action: { memoryMb: 512, egressBytes: 40_000 },
    weight: 1,
    medianMs: 2400,
    spread: 0.7,
    failures: [{ rate: 0.03, message: "Function execution timed out (maximum duration: 600s)" }],
  },
  {
    path: "emails:send",
    type: "action",
    action: { memoryMb: 64, egressBytes: 3_000 },
    weight: 2,
    medianMs: 450,
    spread: 0.6,
    failures: [
      { rate: 0.03, message: "Uncaught Error: Rate limit exceeded for provider (429 Too many requests)" },
    ],
  },
  {
    path: "http:stripeWebhook",
    type: "http_action",
    action: { memoryMb: 64, egressBytes: 0 },
    weight: 2,
    medianMs: 80,
    spread: 0.5,
    failures: [
      { rate: 0.01, message: "Uncaught TypeError: Cannot read properties of undefined (reading 'customer')" },
    ],
  },
];

const TOTAL_WEIGHT = PROFILES.reduce((total, profile) => total + profile.weight, 0);

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

function pick(random: () => number): FunctionProfile {
  let ticket = random() * TOTAL_WEIGHT;
  for (const profile of PROFILES) {
    ticket -= profile.weight;
    if (ticket <= 0) return profile;
  }
  return PROFILES[0]!;
}

function between(random: () => number, [low, high]: [number, number]): number {
  return Math.round(low + (high - low) * random() ** 3);
}

function hex(random: () => number, length: number): string {
  let text = "";
  for (let index = 0; index < length; index++) text += Math.floor(random() * 16).toString(16);
  return text;
}

/** Busier in the working day (UTC), with occasional bursts: a multiplier around 1. */
function trafficShape(timestamp: number, random: () => number): number {
  const hour = new Date(timestamp).getUTCHours() + new Date(timestamp).getUTCMinutes() / 60;
  const daily = 0.55 + 0.45 * Math.sin(((hour - 8) / 24) * 2 * Math.PI) + 0.45;
  const burst = random() < 0.03 ? 3 + random() * 4 : 1;
  return daily * burst;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MIB = 2 ** 20;
/** Storage grows from this day on, so every day of a demo shows a little more than the day before. */
const STORAGE_GROWTH_FROM = Date.UTC(2026, 0, 1);

/**
 * The hourly `current_storage_usage` report: about 0.44 GB of tables and indexes late in 2026,
 * growing 0.6 MiB a day, so on the Free plan database storage is near its 0.5 GB.
 */
function storageReport(timestamp: number, convex: typeof DEMO_DEPLOYMENT): RawLogEvent {
  const days = Math.max(0, (timestamp - STORAGE_GROWTH_FROM) / DAY_MS);
  const documents = Math.round((200 + 0.5 * days) * MIB);
  return {
    topic: "current_storage_usage",
    timestamp,
    convex,
    total_document_size_bytes: documents,
    total_index_size_bytes: Math.round(documents / 4),
    total_vector_storage_bytes: 0,
    total_text_storage_bytes: 20 * MIB,
    total_file_storage_bytes: Math.round((300 + 0.2 * days) * MIB),
    total_backup_storage_bytes: 0,
    total_system_table_document_size_bytes: { _storage: 4096, _scheduled_functions: 2048 },
  };
}

type TrafficOptions = {
  from: number;
  to: number;
  /** Average function executions per minute before the daily shape and bursts. */
  perMinute: number;
  seed: number;
  deployment?: typeof DEMO_DEPLOYMENT;
  /** One function's calls take `factor` times as long: a regression for a deploy to be judged on. */
  slower?: { functionPath: string; factor: number };
};

/** Events for [from, to), oldest first: executions, slow-query lines, scheduler stats, downloads, storage. */
export function generateTraffic(options: TrafficOptions): RawLogEvent[] {
  const random = seededRandom(options.seed);
  const convex = options.deployment ?? DEMO_DEPLOYMENT;
  const events: RawLogEvent[] = [];
  for (let minute = options.from; minute < options.to; minute += 60_000) {
    const end = Math.min(minute + 60_000, options.to);
    const share = (end - minute) / 60_000;
    const count = Math.round(options.perMinute * share * trafficShape(minute, random));
    for (let index = 0; index < count; index++) {
      const profile = pick(random);
      const timestamp = minute + Math.floor(random() * (end - minute));
      const requestId = hex(random, 16);
      const slowdown = options.slower?.functionPath === profile.path ? options.slower.factor : 1;
      const durationMs = Math.max(
        0.2,
        Math.round(slowdown * profile.medianMs * Math.exp(profile.spread * normal(random)) * 100) / 100,
      );
      const failure = profile.failures.find((candidate) => random() < candidate.rate);
      const readDocuments = profile.instrumented
        ? between(random, profile.instrumented.docsScanned)
        : Math.floor(random() * 30);
      if (profile.instrumented) {
        const dbCalls = between(random, profile.instrumented.dbCalls);
        if (durationMs > 100 || dbCalls > 10 || readDocuments > 10_000) {
          events.push({
            topic: "console",
            timestamp: timestamp - 1,
            convex,
            function: { path: profile.path, type: profile.type, request_id: requestId },
            log_level: "WARN",
            message: formatSlowQueryLine(profile.path.split(":")[0]!, {
              correlationId: newCorrelationId(timestamp, random),
              functionName: profile.path.replace(":", "."),
              durationMs,
              dbCalls,
              docsScanned: readDocuments,
            }),
            is_truncated: false,
          });
        }
      }
      events.push({
        topic: "function_execution",
        timestamp,
        convex,
        function: {
          path: profile.path,
          type: profile.type,
          cached: profile.type === "query" ? random() < (profile.cacheRate ?? 0) : null,
          request_id: requestId,
        },
        execution_time_ms: durationMs,
        status: failure ? "failure" : "success",
        error_message: failure ? failure.message.replace("%ID%", hex(random, 32)) : null,
        occ_info: failure?.occ
          ? { table_name: "tasks", document_id: hex(random, 32), write_source: null, retry_count: 4 }
          : null,
        scheduler_info: profile.type === "action" && random() < 0.5 ? { job_id: hex(random, 32) } : null,
        run_reason: profile.type === "query" ? "subscription" : null,
        usage: {
          database_io_read_bytes: readDocuments * (200 + Math.floor(random() * 800)),
          database_io_write_bytes: profile.type === "mutation" ? 300 + Math.floor(random() * 2000) : 0,
          database_read_documents: readDocuments,
          database_write_documents:
            profile.type === "mutation" && !failure ? 1 + Math.floor(random() * 3) : 0,
          function_args_bytes: 20 + Math.floor(random() * 200),
          function_returns_bytes: Math.floor(random() * 5000),
          ...(profile.action
            ? {
                action_memory_used_mb: profile.action.memoryMb,
                network_egress_bytes: Math.round(profile.action.egressBytes * (0.5 + random())),
              }
            : {}),
          ...(profile.searchBytes ? { text_search_query_bytes: profile.searchBytes } : {}),
        },
      });
    }
    if (random() < 0.05) {
      events.push({
        topic: "storage_api_bandwidth",
        timestamp: minute + Math.floor(random() * (end - minute)),
        convex,
        storage_id: hex(random, 32),
        egress_bytes: 50_000 + Math.floor(random() * 400_000),
      });
    }
    if (minute % HOUR_MS === 0) events.push(storageReport(minute, convex));
    events.push({
      topic: "scheduler_stats",
      timestamp: end - 1,
      convex,
      lag_seconds:
        Math.round(Math.max(0, 0.4 + normal(random) * 0.3 + (random() < 0.02 ? 20 * random() : 0)) * 100) /
        100,
      num_running_jobs: Math.floor(random() * 6),
    });
  }
  return events.sort((a, b) => a.timestamp - b.timestamp);
}
