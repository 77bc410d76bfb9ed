import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useDeliveryLog } from "../api";

/** Each delivery attempt with its HTTP status, as a sentence: a receiver's answer is never shown. */
export function DeliveryLog() {
  const log = useDeliveryLog();
  return (
    <section className="stack" aria-labelledby="delivery-log-heading">
      <h2 id="delivery-log-heading">Delivery log</h2>
      {log === undefined ? (
        <SkeletonRows rows={3} label="Loading the delivery log…" />
      ) : log.length === 0 ? (
        <p className="muted">Nothing was sent yet.</p>
      ) : (
        <ol className="stack-sm" aria-label="Delivery attempts">
          {log.map((attempt) => (
            <li key={attempt._id}>
              <Timestamp ms={attempt.at} /> · {attempt.channelName} ·{" "}
              <span className={attempt.ok ? "badge badge-status-success" : "badge badge-status-failure"}>
                {attempt.httpStatus === null ? "no answer" : `HTTP ${attempt.httpStatus}`}
              </span>{" "}
              {attempt.summary} — {attempt.sentence}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
