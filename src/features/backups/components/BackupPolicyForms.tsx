import type { FunctionReturnType } from "convex/server";
import { useId, useState, type FormEvent } from "react";
import type { api } from "@convex/_generated/api";
import { WEEKDAYS, durationInWords } from "@convex/backups/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useMutationState } from "@/lib/useMutationState";
import { useBackupSettings, useSetPolicy, useSetSchedule } from "../api";
import { scheduleTimeProblem } from "../Backups.utils";

type Settings = FunctionReturnType<typeof api.backups.backups.settings>;

export function BackupPolicyForms({ isAdmin }: { isAdmin: boolean }) {
  const settings = useBackupSettings();
  if (settings === undefined) return <SkeletonRows rows={3} label="Loading the backup settings…" />;
  return (
    <section aria-labelledby="backup-policy-heading" className="stack">
      <h2 id="backup-policy-heading">Schedule, retention and RPO</h2>
      <p className="muted">
        Times are in the team&apos;s time zone, <strong>{settings.timeZone}</strong> (set on the Settings
        page).{" "}
        {settings.nextScheduledAt !== null ? (
          <>
            Next scheduled backup: <Timestamp ms={settings.nextScheduledAt} deadline />.
          </>
        ) : (
          "No scheduled backups."
        )}{" "}
        Retention keeps the last {settings.retention.keepLast} verified backups plus the newest of{" "}
        {settings.retention.daily} days, {settings.retention.weekly} weeks and {settings.retention.monthly}{" "}
        months; pinned backups are always kept. RPO target: {durationInWords(settings.rpoTargetMs)}.
      </p>
      {isAdmin ? (
        <div className="two-columns">
          <ScheduleForm settings={settings} />
          <PolicyForm settings={settings} />
        </div>
      ) : (
        <p className="muted">Only admins can change the schedule, retention or RPO target.</p>
      )}
    </section>
  );
}

function ScheduleForm({ settings }: { settings: Settings }) {
  const save = useMutationState(useSetSchedule());
  const current = settings.schedule;
  const [cadence, setCadence] = useState<"off" | "daily" | "weekly">(current.cadence);
  const [time, setTime] = useState(current.cadence === "off" ? "02:00" : current.time);
  const [weekday, setWeekday] = useState(current.cadence === "weekly" ? current.weekday : 7);
  const [includeStorage, setIncludeStorage] = useState(
    current.cadence === "off" ? false : current.includeStorage,
  );
  const [saved, setSaved] = useState(false);
  const ids = { cadence: useId(), time: useId(), weekday: useId(), storage: useId(), problem: useId() };
  const problem = cadence === "off" ? null : scheduleTimeProblem(time);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const schedule =
      cadence === "off"
        ? { cadence }
        : cadence === "daily"
          ? { cadence, time, includeStorage }
          : { cadence, time, weekday, includeStorage };
    const outcome = await save.run({ schedule });
    setSaved(outcome.ok);
  }

  return (
    <form className="stack card" aria-label="Backup schedule" onSubmit={(event) => void submit(event)}>
      <h3>Schedule</h3>
      <div className="field">
        <label htmlFor={ids.cadence}>Scheduled backups</label>
        <select
          id={ids.cadence}
          className="input"
          value={cadence}
          onChange={(event) => setCadence(event.target.value as typeof cadence)}
        >
          <option value="off">Off</option>
          <option value="daily">Daily</option>
          <option value="weekly">Weekly</option>
        </select>
      </div>
      {cadence === "weekly" && (
        <div className="field">
          <label htmlFor={ids.weekday}>Day</label>
          <select
            id={ids.weekday}
            className="input"
            value={weekday}
            onChange={(event) => setWeekday(Number(event.target.value))}
          >
            {WEEKDAYS.map((name, index) => (
              <option key={name} value={index + 1}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}
      {cadence !== "off" && (
        <>
          <div className="field">
            <label htmlFor={ids.time}>Time ({settings.timeZone}, HH:MM)</label>
            <input
              id={ids.time}
              className="input"
              value={time}
              aria-invalid={problem !== null}
              aria-describedby={ids.problem}
              onChange={(event) => setTime(event.target.value)}
            />
            <p id={ids.problem} className="field-hint">
              {problem}
            </p>
          </div>
          <label htmlFor={ids.storage} className="field-inline">
            <input
              id={ids.storage}
              type="checkbox"
              checked={includeStorage}
              onChange={(event) => setIncludeStorage(event.target.checked)}
            />
            Include file storage
          </label>
        </>
      )}
      <button type="submit" className="button button-primary" disabled={save.pending || problem !== null}>
        Save schedule
      </button>
      {saved && (
        <p className="notice notice-success" role="status">
          Schedule saved.
        </p>
      )}
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save the schedule" />}
    </form>
  );
}

function PolicyForm({ settings }: { settings: Settings }) {
  const save = useMutationState(useSetPolicy());
  const [values, setValues] = useState({
    keepLast: String(settings.retention.keepLast),
    daily: String(settings.retention.daily),
    weekly: String(settings.retention.weekly),
    monthly: String(settings.retention.monthly),
    rpoTargetMinutes: String(Math.round(settings.rpoTargetMs / 60_000)),
  });
  const [saved, setSaved] = useState(false);
  const baseId = useId();
  const fields: { key: keyof typeof values; label: string }[] = [
    { key: "keepLast", label: "Keep the last (verified backups)" },
    { key: "daily", label: "Daily backups kept" },
    { key: "weekly", label: "Weekly backups kept" },
    { key: "monthly", label: "Monthly backups kept" },
    { key: "rpoTargetMinutes", label: "RPO target (minutes)" },
  ];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const outcome = await save.run({
      keepLast: Number(values.keepLast),
      daily: Number(values.daily),
      weekly: Number(values.weekly),
      monthly: Number(values.monthly),
      rpoTargetMinutes: Number(values.rpoTargetMinutes),
    });
    setSaved(outcome.ok);
  }

  return (
    <form className="stack card" aria-label="Retention and RPO" onSubmit={(event) => void submit(event)}>
      <h3>Retention and RPO</h3>
      {fields.map((field) => (
        <div className="field" key={field.key}>
          <label htmlFor={`${baseId}-${field.key}`}>{field.label}</label>
          <input
            id={`${baseId}-${field.key}`}
            className="input input-number"
            type="number"
            min={0}
            step={1}
            value={values[field.key]}
            onChange={(event) => setValues({ ...values, [field.key]: event.target.value })}
          />
        </div>
      ))}
      <button type="submit" className="button button-primary" disabled={save.pending}>
        Save retention and RPO
      </button>
      {saved && (
        <p className="notice notice-success" role="status">
          Saved. Retention applies at the next hourly sweep.
        </p>
      )}
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save retention and RPO" />}
    </form>
  );
}
