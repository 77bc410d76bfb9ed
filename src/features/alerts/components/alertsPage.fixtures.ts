/** What the Alerts page asks for besides its open alerts, answered as an empty, default-policy team. */
import type { FunctionReturnType } from "convex/server";
import { api } from "@convex/_generated/api";
import { TEST_MINUTE } from "@/test/clock";
import { answerQuery, fakeId } from "@/test/fakeConvex";

type Overview = FunctionReturnType<typeof api.alerts.alerts.overview>;
export type OpenAlert = Overview["open"][number];
type Channels = FunctionReturnType<typeof api.alerts.alerts.channels>;

const MIN = 60_000;

/** A critical error-rate alert on prod, firing for five minutes; `overrides` change what a test needs. */
export function openAlert(overrides: Partial<OpenAlert>): OpenAlert {
  return {
    _id: fakeId("alertInstances", "i1"),
    ruleKey: "error-rate",
    ruleName: "Error rate above 1 %",
    severity: "critical",
    state: "firing",
    since: Date.now() - 5 * MIN,
    firingSince: Date.now() - 5 * MIN,
    deployment: "prod",
    functionPath: null,
    reason: "error rate 3.4 % > 1 % for 5 min",
    acknowledged: null,
    silencedBy: null,
    runbook: { template: "complete-outage", item: "check-logs" },
    ...overrides,
  };
}

/** Open alerts as given, no history; no rules, silences or deliveries; Alertmanager's default policy. */
export function answerAlertsPage(open: OpenAlert[], channels: Channels = []) {
  answerQuery(
    api.alerts.alerts.overview,
    {},
    { open, history: [], firing: open.filter((alert) => alert.state === "firing").length },
  );
  answerQuery(api.alerts.alerts.rules, {}, []);
  answerQuery(api.alerts.alerts.silences, { now: TEST_MINUTE }, []);
  answerQuery(api.alerts.alerts.channels, {}, channels);
  answerQuery(api.alerts.alerts.deliveryLog, {}, []);
  answerQuery(
    api.alerts.alerts.policy,
    {},
    {
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      groupBy: ["rule", "deployment"],
    },
  );
}
