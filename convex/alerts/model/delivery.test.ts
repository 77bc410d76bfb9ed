import { describe, expect, test } from "vitest";
import {
  backoffMs,
  dedupeKey,
  DEFAULT_POLICY,
  dueAt,
  fingerprint,
  groupKeyOf,
  groupLabelsOf,
  groupMessage,
  knownAfter,
  maskUrl,
  messageKey,
  oneStatePerAlert,
  repeatDue,
  webhookUrlProblem,
} from "./delivery";
import { alertmanagerBody, slackBody } from "./payloads";
import { activeSilence, silenceProblem, silenceStatus } from "./silences";

describe("notification policy", () => {
  test("Alertmanager defaults: 30 s group wait, 5 min group interval, 4 h repeat; grouped by rule and deployment", () => {
    expect(DEFAULT_POLICY).toEqual({
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      groupBy: ["rule", "deployment"],
    });
  });
  test("a new group waits group wait; a told group waits for the group interval; a waiting message is joined", () => {
    expect(dueAt(DEFAULT_POLICY, { lastFlushAt: null, joining: null }, 1_000_000)).toBe(1_030_000);
    expect(dueAt(DEFAULT_POLICY, { lastFlushAt: 1_000_000, joining: null }, 1_060_000)).toBe(1_300_000);
    expect(dueAt(DEFAULT_POLICY, { lastFlushAt: 1_000_000, joining: null }, 2_000_000)).toBe(2_000_000);
    expect(dueAt(DEFAULT_POLICY, { lastFlushAt: null, joining: 1_030_000 }, 1_020_000)).toBe(1_030_000);
  });
  test("the group key is Alertmanager's: route key, then the group labels as Prometheus prints a label set", () => {
    const labels = { alertname: "Error rate", rule: "error-rate", deployment: "prod", severity: "critical" };
    const groupLabels = groupLabelsOf(labels, DEFAULT_POLICY.groupBy);
    expect(groupLabels).toEqual({ deployment: "prod", rule: "error-rate" });
    expect(groupKeyOf(groupLabels)).toBe('{}:{deployment="prod", rule="error-rate"}');
    expect(groupKeyOf(groupLabelsOf(labels, ["function"]))).toBe("{}:{}");
  });
  test("a group message carries the group's known firing alerts with this flush's news first", () => {
    const a = { fingerprint: "a", status: "firing" as const, n: 1 };
    const b = { fingerprint: "b", status: "firing" as const, n: 1 };
    const bResolved = { fingerprint: "b", status: "resolved" as const, n: 2 };
    const c = { fingerprint: "c", status: "firing" as const, n: 1 };
    expect(groupMessage([a, b], [bResolved, c])).toEqual({ alerts: [bResolved, c, a], truncated: 0 });
    expect(groupMessage([a, b], [c], 2)).toEqual({ alerts: [c, a], truncated: 1 });
    expect(knownAfter([a, b], [bResolved, c])).toEqual([a, c]);
  });
  test("a message tells one state of each alert: its later transition waits for the next message", () => {
    const firing = { id: 1, notice: { fingerprint: "a" } };
    const other = { id: 2, notice: { fingerprint: "b" } };
    const resolved = { id: 3, notice: { fingerprint: "a" } };
    expect(oneStatePerAlert([firing, other, resolved]).map((row) => row.id)).toEqual([1, 2]);
  });
  test("a message's id is the lone notification's dedupe key, or one made of all of them in any order", () => {
    expect(messageKey("g", ["k1"])).toBe("k1");
    expect(messageKey("g", ["k1", "k2"])).toBe(messageKey("g", ["k2", "k1"]));
    expect(messageKey("g", ["k1", "k2"])).not.toBe(messageKey("g", ["k1", "k3"]));
  });
  test("an acknowledged alert stops repeating", () => {
    expect(repeatDue(DEFAULT_POLICY, 0, false, 4 * 3_600_000)).toBe(true);
    expect(repeatDue(DEFAULT_POLICY, 0, true, 4 * 3_600_000)).toBe(false);
    expect(repeatDue(DEFAULT_POLICY, 0, false, 4 * 3_600_000 - 1)).toBe(false);
  });
  test("retries back off 10 s, 20 s, 40 s … and never wait more than 5 min", () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffMs)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
  });
});

describe("identity of a notification", () => {
  const labels = { alertname: "p95", deployment: "prod", severity: "warning" };
  test("the fingerprint depends on the label set, not its order", () => {
    const reordered = { severity: "warning", deployment: "prod", alertname: "p95" };
    expect(fingerprint(labels)).toBe(fingerprint(reordered));
    expect(fingerprint(labels)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ ...labels, deployment: "dev" })).not.toBe(fingerprint(labels));
  });
  test("the dedupe key is stable for a retry and differs for the resolution and a repeat", () => {
    const base = {
      ruleKey: "p95",
      instanceKey: "prod",
      status: "firing" as const,
      fingerprint: "ab",
      startsAt: 5,
      repeat: 0,
    };
    expect(dedupeKey(base)).toBe(dedupeKey({ ...base }));
    expect(dedupeKey({ ...base, status: "resolved" })).not.toBe(dedupeKey(base));
    expect(dedupeKey({ ...base, repeat: 1 })).not.toBe(dedupeKey(base));
  });
});

describe("webhook URLs", () => {
  test("only http and https without credentials", () => {
    expect(webhookUrlProblem("https://hooks.example.com/a")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:9000/sink")).toBeNull();
    expect(webhookUrlProblem("file:///etc/passwd")).toMatch(/not file/);
    expect(webhookUrlProblem("https://user:pw@hooks.example.com/")).toMatch(/user name or password/);
    expect(webhookUrlProblem("not a url")).toMatch(/not a valid address/);
  });
  test("a masked URL keeps the origin and hides the token in the path", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXsecret")).toBe(
      "https://hooks.slack.com/••••cret",
    );
  });
});

describe("silences", () => {
  const silence = {
    matchers: { rule: "error-rate", deployment: "prod" },
    startsAt: 100,
    endsAt: 200,
    createdBy: "op@example.com",
  };
  const labels = { rule: "error-rate", deployment: "prod", severity: "critical" };
  test("pending before the start, active until the end, then expired", () => {
    expect([50, 100, 199, 200].map((now) => silenceStatus(silence, now))).toEqual([
      "pending",
      "active",
      "active",
      "expired",
    ]);
  });
  test("an active silence covers matching labels only", () => {
    expect(activeSilence([silence], labels, 150)).toBe(silence);
    expect(activeSilence([silence], { ...labels, deployment: "dev" }, 150)).toBeNull();
    expect(activeSilence([silence], labels, 250)).toBeNull();
  });
  test("a silence with no matcher is refused", () => {
    expect(silenceProblem({ matchers: {}, startsAt: 0, endsAt: 1 })).toMatch(/at least one matcher/);
    expect(silenceProblem({ matchers: { rule: "x" }, startsAt: 5, endsAt: 5 })).toMatch(/end after/);
  });
});

describe("payloads", () => {
  const notice = {
    status: "firing" as const,
    labels: { alertname: "Error rate", deployment: "prod", severity: "critical" },
    annotations: { summary: "error rate 3.4 % > 1 % for 5 min", description: "<b>x</b> & y" },
    startsAt: Date.UTC(2026, 11, 3, 12),
    endsAt: null,
    fingerprint: "0123456789abcdef",
    generatorURL: "https://console.example.com/alerts",
  };
  test("the webhook body has Alertmanager's shape, with the zero time as endsAt while firing", () => {
    const body = alertmanagerBody({
      receiver: "ops",
      groupKey: "g",
      groupLabels: { alertname: "Error rate" },
      externalURL: "https://console.example.com",
      alerts: [notice],
      truncatedAlerts: 0,
    });
    expect(body).toMatchObject({
      version: "4",
      status: "firing",
      receiver: "ops",
      groupKey: "g",
      truncatedAlerts: 0,
    });
    expect(body.alerts[0]).toEqual({
      status: "firing",
      labels: notice.labels,
      annotations: notice.annotations,
      startsAt: "2026-12-03T12:00:00.000Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: notice.generatorURL,
      fingerprint: notice.fingerprint,
    });
    expect(body.commonLabels).toEqual(notice.labels);
  });
  test("Slack gets text and blocks, with Slack's control characters escaped", () => {
    const body = slackBody([notice]);
    expect(body.text).toBe(":rotating_light: Firing: error rate 3.4 % &gt; 1 % for 5 min");
    expect(JSON.stringify(body.blocks)).toContain("&lt;b&gt;x&lt;/b&gt; &amp; y");
  });
  test("a group of alerts is one Slack message listing each", () => {
    const other = {
      ...notice,
      status: "resolved" as const,
      fingerprint: "fedcba9876543210",
      endsAt: notice.startsAt,
    };
    const body = slackBody([notice, other], 3);
    expect(body.text).toBe(":rotating_light: 5 alerts: 1 firing, 1 resolved, 3 more not listed");
    expect(JSON.stringify(body.blocks)).toContain("Resolved: error rate 3.4 % &gt; 1 %");
  });
});
