/**
 * How a transition becomes a notification: the Alertmanager notification policy (group wait,
 * group interval, repeat), the stable dedupe id, the retry backoff, and the webhook URL rule.
 * Pure; the outbox and the delivery action in convex/alerts apply it.
 */

export type NotificationPolicy = {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** The labels whose values make a group (Alertmanager's `group_by`); [] puts every alert in one group. */
  groupBy: string[];
};

/** The labels an alert carries, so the only ones a policy may group by. */
export const GROUPABLE_LABELS = ["alertname", "rule", "deployment", "severity", "function"] as const;

/** Alertmanager's defaults: group_wait 30s, group_interval 5m, repeat_interval 4h; grouped by rule and deployment. */
export const DEFAULT_POLICY: NotificationPolicy = {
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3_600_000,
  groupBy: ["rule", "deployment"],
};

/** The alert's values of the policy's `groupBy` labels (a label it lacks is left out, as Alertmanager does). */
export function groupLabelsOf(labels: Record<string, string>, groupBy: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of [...groupBy].sort()) if (labels[name] !== undefined) picked[name] = labels[name];
  return picked;
}

/**
 * Alertmanager's group key: the route's key, ":", then the group labels as Prometheus prints a
 * label set (`{deployment="prod", rule="error-rate"}`, names sorted, values quoted). Our one route
 * is the root, whose key is `{}`.
 */
export function groupKeyOf(groupLabels: Record<string, string>): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(groupLabels[name])}`);
  return `{}:{${pairs.join(", ")}}`;
}

/**
 * When a notification of a group may go out. One already waiting for the group's next message
 * joins it (`joining`: that message's due time); otherwise a group nobody was told about yet waits
 * `groupWait` for companions, and after that the group's messages are at least `groupInterval` apart
 * (counted from its last flush).
 */
export function dueAt(
  policy: NotificationPolicy,
  group: { lastFlushAt: number | null; joining: number | null },
  now: number,
): number {
  if (group.joining !== null) return group.joining;
  if (group.lastFlushAt === null) return now + policy.groupWaitMs;
  return Math.max(now, group.lastFlushAt + policy.groupIntervalMs);
}

/** Alerts one message carries at most; the rest are counted in `truncatedAlerts`, as Alertmanager's max_alerts. */
export const MAX_ALERTS_PER_MESSAGE = 50;

/**
 * The alerts of one group message, as Alertmanager sends a group: every alert of the group it still
 * knows firing, with this flush's news (new, repeated, resolved) in place of their older state;
 * the news first, so truncation never drops a change.
 */
export function groupMessage<A extends { fingerprint: string }>(
  known: A[],
  news: A[],
  max = MAX_ALERTS_PER_MESSAGE,
): { alerts: A[]; truncated: number } {
  const fresh = new Set(news.map((alert) => alert.fingerprint));
  const all = [...news, ...known.filter((alert) => !fresh.has(alert.fingerprint))];
  return { alerts: all.slice(0, max), truncated: Math.max(0, all.length - max) };
}

/**
 * What the group knows firing after a delivered message: its firing alerts, newest state per
 * fingerprint; a resolved one is forgotten once told.
 */
export function knownAfter<A extends { fingerprint: string; status: "firing" | "resolved" }>(
  known: A[],
  news: A[],
): A[] {
  const byPrint = new Map(known.map((alert) => [alert.fingerprint, alert]));
  for (const alert of news) {
    if (alert.status === "resolved") byPrint.delete(alert.fingerprint);
    else byPrint.set(alert.fingerprint, alert);
  }
  return [...byPrint.values()].slice(0, MAX_ALERTS_PER_MESSAGE);
}

/**
 * A message tells one state of each alert: a later transition of an alert already in it (it
 * resolved while its firing waited) goes in the next message, so the receiver hears both, in order.
 */
export function oneStatePerAlert<R extends { notice: { fingerprint: string } }>(rows: R[]): R[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.notice.fingerprint)) return false;
    seen.add(row.notice.fingerprint);
    return true;
  });
}

/**
 * The id of one group message, the same on every retry: a lone notification keeps its own dedupe
 * key; several share one made of theirs.
 */
export function messageKey(groupKey: string, dedupeKeys: string[]): string {
  if (dedupeKeys.length === 1) return dedupeKeys[0]!;
  return `${groupKey}/${fnv64([...dedupeKeys].sort().join("\n"))}`;
}

/** A firing alert nobody acknowledged is told again once `repeat` passed since it was last told. */
export function repeatDue(
  policy: NotificationPolicy,
  lastNotifiedAt: number,
  acknowledged: boolean,
  now: number,
): boolean {
  return !acknowledged && now - lastNotifiedAt >= policy.repeatIntervalMs;
}

/** Retry n (1-based) waits 10 s, 20 s, 40 s … capped at 5 min, so a receiver back after an hour is reached within 5 min. */
export const FIRST_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 5 * 60_000;

export function backoffMs(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Alertmanager's fingerprint is a 64-bit hash of the sorted label set, printed as 16 hex digits;
 * this uses FNV-1a 64 over the same sorted pairs, so equal labels always give the same fingerprint.
 */
export function fingerprint(labels: Record<string, string>): string {
  return fnv64(
    Object.keys(labels)
      .sort()
      .map((key) => `${key}\u0000${labels[key]}\u0000`)
      .join(""),
  );
}

function fnv64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const char of text) {
    hash ^= BigInt(char.codePointAt(0)!);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * The id a receiver dedupes on: the same (rule, instance, status, fingerprint, episode) on every
 * retry, a different one for the next repeat or the resolution.
 */
export function dedupeKey(parts: {
  ruleKey: string;
  instanceKey: string;
  status: "firing" | "resolved";
  fingerprint: string;
  /** When this episode started firing: a later episode of the same alert is a new notification. */
  startsAt: number;
  /** 0 for the first message of the episode, n for the n-th repeat. */
  repeat: number;
}): string {
  return [
    parts.ruleKey,
    parts.instanceKey,
    parts.status,
    parts.fingerprint,
    parts.startsAt,
    parts.repeat,
  ].join("/");
}

/**
 * A webhook URL the console may call: http or https, no user name or password in it (they would be
 * logged and shown); a reason sentence when it is not.
 */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return "The URL is not a valid address; it should look like https://hooks.example.com/alerts.";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `Only http and https URLs can receive alerts, not ${url.protocol.replace(/:$/, "")}.`;
  }
  if (url.username !== "" || url.password !== "") {
    return "The URL must not carry a user name or password; use the channel's signing secret instead.";
  }
  return null;
}

/** How a URL is shown: its origin and a masked rest, since a Slack URL's path is its token. */
export function maskUrl(raw: string): string {
  const url = new URL(raw);
  const rest = `${url.pathname}${url.search}`;
  return rest.length <= 1 ? url.origin : `${url.origin}/••••${rest.slice(-4)}`;
}

/** An attempt's outcome as the delivery log shows it: the HTTP status and a sentence, never the response body. */
export function attemptSentence(status: number | null, error: string | null, attempts = 1): string {
  if (status === null) return `Not delivered: ${error ?? "the request failed"}.`;
  if (status >= 200 && status < 300) return `Delivered (HTTP ${status}).`;
  if (status === 429) return "The receiver asked to slow down (HTTP 429); retrying.";
  if (givesUp(status, attempts)) {
    return `The receiver refused it (HTTP ${status}) ${attempts} times; given up, so later notifications are not held back.`;
  }
  return `The receiver answered HTTP ${status}; retrying.`;
}

/** Refusals a retry cannot cure are given up after this many attempts. */
export const REFUSALS_BEFORE_GIVING_UP = 3;

/**
 * A 4xx other than 408 (timeout) and 429 (slow down) says the request itself is wrong (a revoked
 * Slack URL answers 404 or 410): retrying forever would hold every later notification behind it.
 */
export function givesUp(status: number | null, attempts: number): boolean {
  if (status === null || status < 400 || status >= 500 || status === 408 || status === 429) return false;
  return attempts >= REFUSALS_BEFORE_GIVING_UP;
}

/** Slack accepts about one message a second per incoming webhook; sends to one are spaced this far. */
export const SLACK_SPACING_MS = 1_000;
