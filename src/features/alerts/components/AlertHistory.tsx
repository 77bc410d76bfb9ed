import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";
import { Timestamp } from "@/components/Timestamp";
import { STATE_LABELS } from "../Alerts.utils";

type Event = FunctionReturnType<typeof api.alerts.alerts.overview>["history"][number];

/** The latest transitions with their reasons, newest first. */
export function AlertHistory({ history }: { history: Event[] }) {
  if (history.length === 0) return <p className="muted">No alert has changed state yet.</p>;
  return (
    <ol className="stack-sm alert-history" aria-label="Recent alert history">
      {history.map((event) => (
        <li key={event._id}>
          <Timestamp ms={event.at} /> · <strong>{event.ruleName}</strong> on {event.deployment}
          {event.functionPath !== null && <> · {event.functionPath}</>}: {STATE_LABELS[event.from]} →{" "}
          {STATE_LABELS[event.to]} — {event.reason}
        </li>
      ))}
    </ol>
  );
}
