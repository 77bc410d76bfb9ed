/**
 * Documents read and milliseconds per alert evaluation at 300 functions × 3 deployments with every
 * built-in rule on, from the same five minutes of minute rollups the cron reads, a deploy verdict
 * per deployment that flags ten functions (the deploy-regression rule), and from the seventh minute
 * on two rules made from Logs searches counting over 60 stored log lines a minute per deployment
 * (one through the level index, one through the message search index). Figures come from
 * convex-test's transaction metrics (ctx.meta.getTransactionMetrics). Some functions fail enough to
 * fire, so transitions, history and outbox writes are part of what is measured.
 * Run with `npm run bench:alerts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { makeFunctionReference, mutationGeneric } from "convex/server";
import { v } from "convex/values";
import { test } from "vitest";
import { ensureAuthEnv, modules, type Backend } from "../convex/test.helpers";
import { loadPatchedConvexTest } from "../tools/local-backend/convexTestAdapter";
import schema from "../convex/schema";
import { evaluateAll } from "../convex/alerts/evaluate";
import { ALL_FUNCTIONS, emptyTotals } from "../convex/metrics/model/rollups";
import { BUILT_IN_RULES } from "../convex/alerts/model/rules";
import { searchRuleDefinition } from "../convex/alerts/model/searchRules";
import { logRowOf } from "../convex/logs/model/rows";

const FUNCTIONS = Number(process.env.BENCH_FUNCTIONS ?? 300);
const DEPLOYMENTS = ["bench-prod", "bench-staging", "bench-dev"];
const MIN = 60_000;
const START = Date.UTC(2026, 11, 3, 12, 0);
const EVALUATIONS = 10;
/** From this evaluation on, the two search rules are stored too. */
const SEARCH_RULES_FROM = 6;
const LOG_LINES_PER_MINUTE = 60;
const SEARCHES = ["level:error", 'message:"Slow query detected"'];

const probeModule = {
  evaluate: mutationGeneric({
    args: { now: v.number() },
    handler: async (ctx, { now }) => {
      const startedAt = performance.now();
      await evaluateAll(ctx as never, now);
      const ms = performance.now() - startedAt;
      const metrics = await ctx.meta.getTransactionMetrics();
      return {
        documentsRead: metrics.documentsRead.used,
        documentsWritten: metrics.documentsWritten.used,
        ms,
      };
    },
  }),
  addSearchRules: mutationGeneric({
    args: {},
    handler: async (ctx) => {
      for (const [index, query] of SEARCHES.entries()) {
        const rule = searchRuleDefinition(`search-bench${index}`, {
          query,
          windowMinutes: 5,
          threshold: 1000,
          severity: "warning",
        });
        await ctx.db.insert("alertRules", { ...rule, version: 1, updatedAt: 0, updatedBy: "bench" });
      }
    },
  }),
  seedMinute: mutationGeneric({
    args: { deployment: v.string(), bucket: v.number() },
    handler: async (ctx, { deployment, bucket }) => {
      for (let line = 0; line < LOG_LINES_PER_MINUTE; line++) {
        const row = logRowOf({
          kind: "console",
          record: {
            deployment,
            ts: bucket + line * 900,
            requestId: null,
            functionPath: `module${line % 20}:fn${line}`,
            level: line % 2 === 0 ? "ERROR" : "WARN",
            message: line % 3 === 0 ? "Slow query detected" : `handled request ${line}`,
            slowQuery: null,
          },
        });
        await ctx.db.insert("logEvents", row);
      }
      if (bucket === START) {
        await ctx.db.insert("deployVerdicts", {
          deployment,
          deployTs: START - 20 * MIN,
          windowMs: 10 * MIN,
          state: "done",
          cursor: null,
          regressions: Array.from({ length: 10 }, (_, index) => ({
            functionPath: `module${index % 20}:fn${index * 7}`,
            kinds: ["p95"],
          })),
          newFunctions: 0,
          goneFunctions: 0,
          functionsCompared: FUNCTIONS,
        });
      }
      const all = { ...emptyTotals() };
      for (let index = 0; index < FUNCTIONS; index++) {
        // One function in thirty fails a tenth of its calls: enough to fire the per-function rule.
        const failing = index % 30 === 0;
        const totals = {
          ...emptyTotals(),
          calls: 20,
          failures: failing ? 2 : 0,
          durationSumMs: 400,
          maxDurationMs: 40,
          minDurationMs: 5,
        };
        totals.histogram = totals.histogram.map((_, bin) => (bin === 10 ? 20 : 0));
        all.calls += totals.calls;
        all.failures += totals.failures;
        await ctx.db.insert("rollups", {
          deployment,
          granularity: "minute",
          bucket,
          functionPath: `module${index % 20}:fn${index}`,
          functionType: "query",
          ...totals,
        });
      }
      all.histogram = all.histogram.map((_, bin) => (bin === 10 ? all.calls : 0));
      await ctx.db.insert("rollups", {
        deployment,
        granularity: "minute",
        bucket,
        functionPath: ALL_FUNCTIONS,
        functionType: "*",
        ...all,
      });
      const existing = await ctx.db
        .query("watchedDeployments")
        .withIndex("by_name", (q) => q.eq("name", deployment))
        .unique();
      if (existing === null) {
        await ctx.db.insert("watchedDeployments", {
          name: deployment,
          type: "prod",
          projectSlug: "app",
          firstEventAt: bucket,
          lastEventAt: bucket + 59_000,
          lastVerificationAt: null,
          eventsAccepted: 0,
          duplicates: 0,
          replaysRejected: 0,
          unknownTopics: 0,
        });
      } else {
        await ctx.db.patch(existing._id, { lastEventAt: bucket + 59_000 });
      }
    },
  }),
};

const evaluate = makeFunctionReference<
  "mutation",
  { now: number },
  { documentsRead: number; documentsWritten: number; ms: number }
>("benchProbe:evaluate");
const seedMinute = makeFunctionReference<"mutation", { deployment: string; bucket: number }, null>(
  "benchProbe:seedMinute",
);
const addSearchRules = makeFunctionReference<"mutation", Record<string, never>, null>(
  "benchProbe:addSearchRules",
);

test("alert evaluation reads a bounded number of documents", { timeout: 600_000 }, async () => {
  await ensureAuthEnv();
  const { convexTest } = await loadPatchedConvexTest();
  const t = convexTest(schema, {
    ...modules,
    "./benchProbe.ts": async () => probeModule,
  }) as unknown as Backend;
  const lines: string[] = [];
  const results: { documentsRead: number; documentsWritten: number; ms: number }[] = [];
  for (let minute = 0; minute < EVALUATIONS; minute++) {
    const bucket = START + minute * MIN;
    for (const deployment of DEPLOYMENTS) await t.mutation(seedMinute, { deployment, bucket });
    if (minute === SEARCH_RULES_FROM) await t.mutation(addSearchRules, {});
    results.push(await t.mutation(evaluate, { now: bucket + 30_000 }));
  }
  // The first evaluation stores the rules; the later ones are what every minute costs.
  const steady = results.slice(1);
  const maxRead = Math.max(...steady.map((r) => r.documentsRead));
  const builtInOnly = results.slice(1, SEARCH_RULES_FROM);
  const withSearches = results.slice(SEARCH_RULES_FROM);
  const meanMs = steady.reduce((sum, r) => sum + r.ms, 0) / steady.length;
  lines.push(
    `functions=${FUNCTIONS} deployments=${DEPLOYMENTS.length} rules=${BUILT_IN_RULES.length} built-in (deploy regression included), +${SEARCHES.length} search rules from evaluation ${SEARCH_RULES_FROM + 1}; log_lines_per_minute_per_deployment=${LOG_LINES_PER_MINUTE}`,
  );
  steady.forEach((r, index) =>
    lines.push(
      `evaluation=${index + 2} documents_read=${r.documentsRead} documents_written=${r.documentsWritten} ms=${r.ms.toFixed(1)}`,
    ),
  );
  lines.push(`max_documents_read_per_evaluation=${maxRead}`);
  lines.push(
    `max_documents_read_built_in_rules_only=${Math.max(...builtInOnly.map((r) => r.documentsRead))}`,
  );
  lines.push(`max_documents_read_with_search_rules=${Math.max(...withSearches.map((r) => r.documentsRead))}`);
  lines.push(`mean_ms_per_evaluation=${meanMs.toFixed(1)}`);
  mkdirSync(".local/bench", { recursive: true });
  writeFileSync(".local/bench/alerts.txt", `${lines.join("\n")}\n`);
});
