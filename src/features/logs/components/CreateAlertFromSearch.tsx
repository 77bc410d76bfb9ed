import { useId, useState } from "react";
import { Link } from "@tanstack/react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useViewer } from "@/lib/api";
import { useMutationState } from "@/lib/useMutationState";
import { viewerHasRole } from "@/lib/viewer";
import { useCreateAlertFromSearch } from "../api";

type Props = {
  query: string;
  /** False while the box is empty or the query does not parse: there is nothing to count. */
  usable: boolean;
};

/**
 * "Create an alert from this search": the query becomes a rule that fires when more than N events
 * match it on a deployment within a window. Rules are an admin's to change, so only admins see it.
 */
export function CreateAlertFromSearch({ query, usable }: Props) {
  const viewer = useViewer();
  const create = useMutationState(useCreateAlertFromSearch());
  const [open, setOpen] = useState(false);
  const [threshold, setThreshold] = useState("10");
  const [windowMinutes, setWindowMinutes] = useState("5");
  const [severity, setSeverity] = useState<"warning" | "critical">("warning");
  const [created, setCreated] = useState<{ name: string; query: string } | null>(null);
  const id = useId();
  if (!viewerHasRole(viewer, "admin")) return null;

  const submit = () => {
    setCreated(null);
    void create
      .run({ query, threshold: Number(threshold), windowMinutes: Number(windowMinutes), severity })
      .then((outcome) => {
        if (!outcome.ok) return;
        setCreated({ name: outcome.value.name, query });
        setOpen(false);
      });
  };

  return (
    <section className="stack-sm" aria-label="Alert from this search">
      <div className="toolbar">
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls={`${id}-form`}
          disabled={!usable}
          onClick={() => setOpen(!open)}
        >
          Create an alert from this search
        </button>
        {!usable && <span className="muted">Type a search that parses to make an alert of it.</span>}
      </div>
      {open && usable && (
        <form
          id={`${id}-form`}
          className="stack-sm"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <p>
            Alert when more than{" "}
            <label className="visually-hidden" htmlFor={`${id}-threshold`}>
              Number of matching events
            </label>
            <input
              id={`${id}-threshold`}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              className="input input-number"
              value={threshold}
              onChange={(event) => setThreshold(event.target.value)}
            />{" "}
            events match <code className="mono">{query}</code> on a deployment within{" "}
            <label className="visually-hidden" htmlFor={`${id}-window`}>
              Window in minutes
            </label>
            <input
              id={`${id}-window`}
              type="number"
              min={1}
              max={60}
              step={1}
              inputMode="numeric"
              className="input input-number"
              value={windowMinutes}
              onChange={(event) => setWindowMinutes(event.target.value)}
            />{" "}
            minutes.
          </p>
          <div className="toolbar">
            <label htmlFor={`${id}-severity`}>Severity</label>
            <select
              id={`${id}-severity`}
              className="input"
              value={severity}
              onChange={(event) => setSeverity(event.target.value === "critical" ? "critical" : "warning")}
            >
              <option value="warning">Warning</option>
              <option value="critical">Critical</option>
            </select>
            <button type="submit" className="button button-primary" disabled={create.pending}>
              {create.pending ? "Creating…" : "Create alert"}
            </button>
          </div>
        </form>
      )}
      {create.error !== null && <ErrorNotice error={create.error} title="Could not create the alert" />}
      {created !== null && (
        <p className="notice notice-info" role="status">
          Created “{created.name}”: every minute it counts the matches on each deployment.{" "}
          <Link to="/alerts">See it on Alerts</Link>.
        </p>
      )}
    </section>
  );
}
