import { useId, useState, type FormEvent } from "react";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { useMutationState } from "@/lib/useMutationState";
import { viewerHasRole } from "@/lib/viewer";
import { useSetTeamTimeZone, useTeamTimeZone } from "../api";

/** Settings → Team time zone: the one zone usage months, runbook periods and backup slots count in. */
export function TeamTimeZone() {
  return (
    <section aria-labelledby="time-zone-heading" className="stack">
      <h2 id="time-zone-heading">Team time zone</h2>
      <p className="muted">
        Usage days and months, runbook periods and the backup schedule start at midnight in this zone. Runbook
        runs already started keep theirs.
      </p>
      <ErrorBoundary title="Could not load the team time zone">
        <LoadedTimeZone />
      </ErrorBoundary>
    </section>
  );
}

function LoadedTimeZone() {
  const current = useTeamTimeZone();
  const viewer = useViewer();
  if (current === undefined) return <SkeletonRows rows={1} label="Loading the team time zone" />;
  if (!viewerHasRole(viewer, "admin")) {
    return (
      <p>
        The team works in <strong>{current}</strong>. Admins change it here.
      </p>
    );
  }
  return <TimeZoneForm key={current} current={current} />;
}

function TimeZoneForm({ current }: { current: string }) {
  const { run: setTimeZone, pending, error } = useMutationState(useSetTeamTimeZone());
  const inputId = useId();
  const [zone, setZone] = useState(current);
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if ((await setTimeZone({ timeZone: zone })).ok) setSaved(true);
  }

  return (
    <form className="stack" aria-label="Team time zone" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={inputId}>Time zone (IANA name)</label>
        <input
          id={inputId}
          className="input"
          value={zone}
          placeholder="e.g. Europe/Berlin"
          onChange={(event) => setZone(event.target.value)}
        />
      </div>
      <div>
        <button type="submit" className="button" disabled={pending || zone.trim() === current}>
          Save time zone
        </button>
      </div>
      {saved && (
        <p className="form-feedback" role="status">
          Time zone saved.
        </p>
      )}
      {error !== null && <ErrorNotice error={error} title="Time zone not saved" />}
    </form>
  );
}
