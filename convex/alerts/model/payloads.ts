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
}) {
  return {
    version: "4",
    groupKey: input.groupKey,
    truncatedAlerts: 0,
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

export function slackBody(alert: AlertNotice) {
  const icon = alert.status === "firing" ? ":rotating_light:" : ":white_check_mark:";
  const title = `${alert.status === "firing" ? "Firing" : "Resolved"}: ${alert.annotations.summary ?? alert.labels.alertname}`;
  const detail = [
    alert.annotations.description,
    `Deployment ${alert.labels.deployment ?? "–"} · severity ${alert.labels.severity ?? "–"}`,
    alert.annotations.note,
  ].filter((line): line is string => line !== undefined && line !== "");
  return {
    text: `${icon} ${slackEscape(title)}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${icon} *${slackEscape(title)}*` } },
      { type: "section", text: { type: "mrkdwn", text: detail.map(slackEscape).join("\n") } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `<${alert.generatorURL}|Open in the console>` }],
      },
    ],
  };
}
