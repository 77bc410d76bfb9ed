import { useState, type FormEvent } from "react";
import { ActionButton } from "@/components/ActionButton";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ChoiceField, TextField } from "@/components/FormField";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useMinute } from "@/lib/clock";
import { useMutationState } from "@/lib/useMutationState";
import { useAddSilence, useAlertRules, useExpireSilence, useSilences } from "../api";
import { matchersInWords, minutesToMs } from "../Alerts.utils";
import { SeverityField } from "./SeverityField";

/** Silences that expire: active, pending and expired, and whether each matches anything. */
export function SilencesSection({ canSilence }: { canSilence: boolean }) {
  const minute = useMinute();
  const silences = useSilences(minute);
  const expire = useExpireSilence();
  return (
    <section className="stack" aria-labelledby="silences-heading">
      <h2 id="silences-heading">Silences</h2>
      {canSilence ? (
        <SilenceForm />
      ) : (
        <p className="muted">Operators and admins can silence alerts for a while.</p>
      )}
      {silences === undefined ? (
        <SkeletonRows rows={2} label="Loading silences…" />
      ) : silences.length === 0 ? (
        <p className="muted">No silences.</p>
      ) : (
        <ul className="stack-sm" aria-label="Silences">
          {silences.map((silence) => (
            <li key={silence._id} className="card">
              <span className={`badge badge-silence-${silence.status}`}>{silence.status}</span>{" "}
              <strong>{matchersInWords(silence.matchers)}</strong> · {silence.comment} · by{" "}
              {silence.createdBy}
              <br />
              <span className="muted">
                From <Timestamp ms={silence.startsAt} /> until <Timestamp ms={silence.endsAt} deadline />
              </span>
              {silence.matchesNothing && silence.status !== "expired" && (
                <p role="note">
                  This silence matches no alert the console has seen: check its rule, deployment and function.
                </p>
              )}
              {canSilence && silence.status !== "expired" && (
                <ActionButton
                  label="End now"
                  pendingLabel="Ending…"
                  accessibleName={`End the silence on ${matchersInWords(silence.matchers)}`}
                  failureTitle="Could not end the silence"
                  action={() => expire({ silenceId: silence._id })}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SilenceForm() {
  const rules = useAlertRules();
  const add = useMutationState(useAddSilence());
  const [rule, setRule] = useState("");
  const [deployment, setDeployment] = useState("");
  const [fn, setFn] = useState("");
  const [severity, setSeverity] = useState<"" | "warning" | "critical">("");
  const [minutes, setMinutes] = useState("60");
  const [comment, setComment] = useState("");

  const duration = minutesToMs(minutes);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (duration === null || duration === 0) return;
    const startsAt = Date.now();
    const outcome = await add.run({
      matchers: {
        rule: rule || undefined,
        deployment: deployment.trim() || undefined,
        function: fn.trim() || undefined,
        severity: severity || undefined,
      },
      startsAt,
      endsAt: startsAt + duration,
      comment,
    });
    if (outcome.ok) setComment("");
  }

  return (
    <form className="card stack-sm" aria-label="Add a silence" onSubmit={(event) => void submit(event)}>
      <h3>Add a silence</h3>
      <div className="form-grid">
        <ChoiceField label="Rule" value={rule} onValueChange={setRule}>
          <option value="">Any rule</option>
          {(rules ?? []).map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </ChoiceField>
        <TextField label="Deployment" value={deployment} onValueChange={setDeployment} placeholder="Any" />
        <TextField label="Function" value={fn} onValueChange={setFn} placeholder="Any" />
        <SeverityField any value={severity} onChange={setSeverity} />
        <TextField
          label="Minutes"
          numeric="numeric"
          value={minutes}
          aria-invalid={duration === null || duration === 0}
          onValueChange={setMinutes}
          hint={
            duration === null || duration === 0
              ? "A whole number of minutes, at least 1."
              : "It ends by itself."
          }
        />
        <TextField label="Comment" value={comment} onValueChange={setComment} placeholder="Why" />
      </div>
      <button type="submit" className="button" disabled={add.pending || comment.trim() === "" || !duration}>
        {add.pending ? "Adding…" : "Add silence"}
      </button>
      {add.error !== null && <ErrorNotice error={add.error} title="Could not add the silence" />}
    </form>
  );
}
