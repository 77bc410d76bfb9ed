import { useId, useState, type FormEvent } from "react";
import { SETTING_BOUNDS, settingsProblems, type EditableSettings } from "@convex/settings/shared";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useDraft } from "@/lib/useDraft";
import { useMutationState } from "@/lib/useMutationState";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { useConsoleSettings, useUpdateConsoleSettings } from "../api";

const FIELDS = Object.keys(SETTING_BOUNDS) as Array<keyof EditableSettings>;

/** Settings → Thresholds and retention: what counts as a slow call and how long raw events stay. */
export function ThresholdSettings() {
  return (
    <section aria-labelledby="thresholds-heading" className="stack">
      <h2 id="thresholds-heading">Thresholds and retention</h2>
      <p className="muted">
        A call is slow when it crosses any of the three limits. Raw events older than the retention are
        deleted; the per-minute and per-hour rollups behind the charts stay.
      </p>
      <ErrorBoundary title="Could not load the settings">
        <ThresholdForm />
      </ErrorBoundary>
    </section>
  );
}

function ThresholdForm() {
  const settings = useConsoleSettings();
  const viewer = useViewer();
  if (settings === undefined) return <SkeletonRows rows={3} label="Loading settings" />;
  return (
    <EditableThresholds
      initial={settings.values}
      defaults={settings.defaults}
      canEdit={viewerHasRole(viewer, "admin")}
      updatedAt={settings.updatedAt}
      updatedBy={settings.updatedBy}
    />
  );
}

function EditableThresholds({
  initial,
  defaults,
  canEdit,
  updatedAt,
  updatedBy,
}: {
  initial: EditableSettings;
  defaults: EditableSettings;
  canEdit: boolean;
  updatedAt: number | null;
  updatedBy: string | null;
}) {
  const { run: update, pending, error } = useMutationState(useUpdateConsoleSettings());
  const formId = useId();
  const {
    values: draft,
    set: setField,
    reset,
  } = useDraft(
    Object.fromEntries(FIELDS.map((key) => [key, String(initial[key])])) as Record<
      keyof EditableSettings,
      string
    >,
  );
  const [saved, setSaved] = useState(false);
  const values = Object.fromEntries(FIELDS.map((key) => [key, Number(draft[key])])) as EditableSettings;
  const problems = settingsProblems(values);

  const [confirmingShorterRetention, setConfirmingShorterRetention] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (values.rawRetentionHours < initial.rawRetentionHours) {
      setConfirmingShorterRetention(true);
      return;
    }
    void save();
  }

  async function save() {
    setConfirmingShorterRetention(false);
    setSaved(false);
    if ((await update(values)).ok) {
      // The saved values come back through the live query; the fields follow it again.
      reset();
      setSaved(true);
    }
  }

  return (
    <>
      <form className="stack" aria-label="Thresholds and retention" onSubmit={submit}>
        <div className="settings-grid">
          {FIELDS.map((key) => {
            const { label, unit, min, max } = SETTING_BOUNDS[key];
            return (
              <div className="field" key={key}>
                <label htmlFor={`${formId}-${key}`}>
                  {label} ({unit})
                </label>
                <input
                  id={`${formId}-${key}`}
                  className="input"
                  type="number"
                  inputMode="numeric"
                  min={min}
                  max={max}
                  step={1}
                  disabled={!canEdit}
                  value={draft[key]}
                  onChange={(event) => setField(key, event.target.value)}
                />
                <span className="field-hint">Default {defaults[key]}</span>
              </div>
            );
          })}
        </div>
        {canEdit ? (
          <div className="cell-inline">
            <button type="submit" className="button button-primary" disabled={pending || problems.length > 0}>
              {pending ? "Saving…" : "Save thresholds"}
            </button>
            {updatedAt !== null && updatedBy !== null && (
              <span className="muted">
                Last changed by {updatedBy}, <Timestamp ms={updatedAt} />
              </span>
            )}
          </div>
        ) : (
          <p className="muted">Only admins change these.</p>
        )}
        <div className="form-feedback">
          {canEdit && problems.length > 0 && (
            <ul className="notice notice-warning" role="status">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
          {error !== null && <ErrorNotice error={error} title="Settings not saved" />}
          {saved && (
            <p className="notice notice-success" role="status">
              Saved. New events are judged by these thresholds from now on.
            </p>
          )}
        </div>
      </form>
      {confirmingShorterRetention && (
        <TypedConfirmDialog
          title="Shorten raw event retention?"
          consequences={
            <>
              Raw executions and console lines older than {values.rawRetentionHours} hours are deleted at the
              next sweep (within 10 minutes), so their request timelines are gone. The per-minute and per-hour
              rollups behind the charts stay.
            </>
          }
          confirmText="shorten retention"
          actionLabel="Shorten retention and save"
          onConfirm={() => void save()}
          onCancel={() => setConfirmingShorterRetention(false)}
        />
      )}
    </>
  );
}
