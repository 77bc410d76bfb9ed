/**
 * The bodies channels receive. The webhook body is Alertmanager's webhook payload (version 4,
 * notify/webhook Message over template.Data); Slack gets an incoming-webhook `{text, blocks}`.
 */

export type AlertNotice = {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** When it resolved; null while firing (Alertmanager's zero time). */
  endsAt: number | null;
  fingerprint: string;
  generatorURL: string;
};

/** Go's zero time.Time, which Alertmanager sends as endsAt of an alert still firing. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

function common(records: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = records;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => rest.every((r) => r[key] === value)),
  );
}

export function alertmanagerBody(input: {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  externalURL: string;
  alerts: AlertNotice[];
  /** Alerts of the group left out of this message (Alertmanager's max_alerts). */
  truncatedAlerts: number;
}) {
  return {
    version: "4",
    groupKey: input.groupKey,
    truncatedAlerts: input.truncatedAlerts,
    status: input.alerts.some((alert) => alert.status === "firing") ? "firing" : "resolved",
    receiver: input.receiver,
    groupLabels: input.groupLabels,
    commonLabels: common(input.alerts.map((alert) => alert.labels)),
    commonAnnotations: common(input.alerts.map((alert) => alert.annotations)),
    externalURL: input.externalURL,
    alerts: input.alerts.map((alert) => ({
      status: alert.status,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: new Date(alert.startsAt).toISOString(),
      endsAt: alert.endsAt === null ? ZERO_TIME : new Date(alert.endsAt).toISOString(),
      generatorURL: alert.generatorURL,
      fingerprint: alert.fingerprint,
    })),
  };
}

/** Slack mrkdwn treats &, < and > as control characters; they are escaped as Slack documents. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Alerts listed one by one in a Slack message of a group; Slack allows 50 blocks. */
const SLACK_ALERTS_LISTED = 10;

function slackTitle(alert: AlertNotice): string {
  return `${alert.status === "firing" ? "Firing" : "Resolved"}: ${alert.annotations.summary ?? alert.labels.alertname}`;
}

function slackDetail(alert: AlertNotice): string {
  return [
    alert.annotations.description,
    `Deployment ${alert.labels.deployment ?? "–"} · severity ${alert.labels.severity ?? "–"}`,
    alert.annotations.note,
  ]
    .filter((line): line is string => line !== undefined && line !== "")
    .map(slackEscape)
    .join("\n");
}

/** One Slack message for a group's alerts: a lone alert in full, several listed under a count. */
export function slackBody(alerts: AlertNotice[], truncated = 0) {
  const [first] = alerts;
  if (first === undefined) throw new Error("a Slack message needs at least one alert");
  const firing = alerts.some((alert) => alert.status === "firing");
  const icon = firing ? ":rotating_light:" : ":white_check_mark:";
  if (alerts.length === 1 && truncated === 0) {
    const title = slackEscape(slackTitle(first));
    return {
      text: `${icon} ${title}`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `${icon} *${title}*` } },
        { type: "section", text: { type: "mrkdwn", text: slackDetail(first) } },
        {
          type: "context",
          elements: [{ type: "mrkdwn", text: `<${first.generatorURL}|Open in the console>` }],
        },
      ],
    };
  }
  const total = alerts.length + truncated;
  const firingCount = alerts.filter((alert) => alert.status === "firing").length;
  const heading = `${total} alerts: ${firingCount} firing, ${alerts.length - firingCount} resolved${truncated > 0 ? `, ${truncated} more not listed` : ""}`;
  const listed = alerts.slice(0, SLACK_ALERTS_LISTED);
  return {
    text: `${icon} ${heading}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${icon} *${heading}*` } },
      ...listed.map((alert) => ({
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*<${alert.generatorURL}|${slackEscape(slackTitle(alert))}>*\n${slackDetail(alert)}`,
        },
      })),
      ...(alerts.length > listed.length
        ? [
            {
              type: "context",
              elements: [
                { type: "mrkdwn", text: `and ${alerts.length - listed.length} more in the console` },
              ],
            },
          ]
        : []),
    ],
  };
}
