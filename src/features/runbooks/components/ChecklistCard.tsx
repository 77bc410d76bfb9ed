import { useId, useState, type ReactNode } from "react";
import { acceptsTicks, EVIDENCE_LABELS, type RunState } from "@convex/runbooks/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { Timestamp } from "@/components/Timestamp";
import { useNow } from "@/lib/clock";
import { useTickItem, useUntickItem } from "../api";
import { evidenceSentence } from "../Runbooks.utils";
import type { EvidenceMap, Run, RunItem } from "../types";

const STATE_BADGES: Record<RunState, { text: string; className: string } | null> = {
  open: null,
  complete: { text: "Complete", className: "badge-status-success" },
  overdue: { text: "Overdue", className: "badge-overdue" },
  closed_incomplete: { text: "Closed incomplete", className: "badge-overdue" },
};

type ChecklistCardProps = {
  run: Run;
  /** e.g. "Today · 2026-11-22" */
  periodLabel: ReactNode;
  canTick: boolean;
  evidence: EvidenceMap | undefined;
  now: number;
  /** The period before a recurring run's, when it ended overdue. */
  overduePrevious?: { key: string; ticked: number; total: number } | null;
  actions?: ReactNode;
};

/** One checklist run: progress, overdue badge, and its items to tick. */
export function ChecklistCard({
  run,
  periodLabel,
  canTick,
  evidence,
  now,
  overduePrevious,
  actions,
}: ChecklistCardProps) {
  const headingId = useId();
  const badge = STATE_BADGES[run.progress.state];
  const accepting = acceptsTicks({ periodEnd: run.periodEnd, closedAt: run.closedAt ?? undefined }, now);
  return (
    <section className="card checklist" aria-labelledby={headingId}>
      <div className="checklist-header">
        <div>
          <h3 id={headingId}>{run.title}</h3>
          <p className="muted checklist-period">
            {periodLabel} · version {run.version}
          </p>
        </div>
        <div className="checklist-badges">
          {badge && <span className={`badge ${badge.className}`}>{badge.text}</span>}
          {overduePrevious && (
            <span className="badge badge-overdue">
              Overdue: {overduePrevious.key} ({overduePrevious.ticked} of {overduePrevious.total})
            </span>
          )}
        </div>
      </div>
      <ProgressBar label={`${run.title} progress`} ticked={run.progress.ticked} total={run.progress.total} />
      <ul className="checklist-items">
        {run.items.map((item) => (
          <ChecklistItem
            key={item.key}
            runId={run._id}
            item={item}
            canTick={canTick && accepting}
            evidence={item.evidence === null ? undefined : evidence?.[item.evidence]}
          />
        ))}
      </ul>
      {actions}
    </section>
  );
}

function ProgressBar({ label, ticked, total }: { label: string; ticked: number; total: number }) {
  const percent = total === 0 ? 100 : Math.floor((ticked / total) * 100);
  return (
    <div className="progress-row">
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${ticked} of ${total} done`}
      >
        <div
          className={`progress-fill${percent === 100 ? " progress-complete" : ""}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <span className="muted progress-text">
        {ticked} of {total} done
      </span>
    </div>
  );
}

type ChecklistItemProps = {
  runId: Run["_id"];
  item: RunItem;
  canTick: boolean;
  evidence: EvidenceMap[keyof EvidenceMap] | undefined;
};

function ChecklistItem({ runId, item, canTick, evidence }: ChecklistItemProps) {
  const tick = useTickItem();
  const untick = useUntickItem();
  const clock = useNow();
  const checkboxId = useId();
  const [noteOpen, setNoteOpen] = useState(false);
  const [note, setNote] = useState("");
  const [evidenceUrl, setEvidenceUrl] = useState("");
  /** The state being saved, shown at once; the server's state returns when the call settles. */
  const [optimistic, setOptimistic] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ticked = item.tick?.ticked === true;
  const pending = optimistic !== null;

  async function toggle() {
    setOptimistic(!ticked);
    setError(null);
    try {
      if (ticked) {
        await untick({ runId, itemKey: item.key });
      } else {
        await tick({
          runId,
          itemKey: item.key,
          ...(note.trim() === "" ? {} : { note: note.trim() }),
          ...(evidenceUrl.trim() === "" ? {} : { evidenceUrl: evidenceUrl.trim() }),
        });
        setNote("");
        setEvidenceUrl("");
        setNoteOpen(false);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setOptimistic(null);
    }
  }

  const earlierTicks = item.tick?.history.filter((event) => event.action === "ticked") ?? [];
  const lastEarlier = earlierTicks[earlierTicks.length - 1];

  return (
    <li className={`checklist-item${ticked ? " checklist-item-done" : ""}`} data-runbook-item={item.key}>
      <div className="checklist-row">
        <input
          id={checkboxId}
          type="checkbox"
          className="checklist-checkbox"
          checked={optimistic ?? ticked}
          disabled={!canTick || pending}
          title={canTick ? undefined : "You cannot tick this checklist"}
          onChange={() => void toggle()}
        />
        <label htmlFor={checkboxId}>{item.text}</label>
        {item.link !== null && (
          <a
            href={item.link}
            target="_blank"
            rel="noreferrer"
            className="checklist-link"
            aria-label={`Open link for ${item.text}`}
          >
            Open link
          </a>
        )}
        {canTick && !ticked && (
          <button
            type="button"
            className="link-button checklist-note-toggle"
            aria-expanded={noteOpen}
            aria-label={`${noteOpen ? "Hide note" : "Add note"} for ${item.text}`}
            onClick={() => setNoteOpen((open) => !open)}
          >
            {noteOpen ? "Hide note" : "Add note"}
          </button>
        )}
      </div>
      {item.help !== null && <p className="field-hint checklist-detail">{item.help}</p>}
      {evidence !== undefined && (
        <p className={`checklist-detail evidence evidence-${evidence.state}`}>
          <span className="evidence-label">{EVIDENCE_LABELS[evidence.source]}:</span>{" "}
          {evidenceSentence(evidence, clock)}
        </p>
      )}
      {ticked && item.tick !== null && (
        <p className="checklist-detail tick-info">
          ✓ Ticked by {item.tick.byEmail} <Timestamp ms={item.tick.at} />
          {item.tick.note !== null && <span className="tick-note"> — “{item.tick.note}”</span>}
          {item.tick.evidenceUrl !== null && (
            <>
              {" "}
              <a
                href={item.tick.evidenceUrl}
                target="_blank"
                rel="noreferrer"
                aria-label={`Evidence for ${item.text}`}
              >
                evidence
              </a>
            </>
          )}
        </p>
      )}
      {!ticked && item.tick !== null && (
        <p className="checklist-detail muted">
          Unticked by {item.tick.byEmail} <Timestamp ms={item.tick.at} />
          {lastEarlier !== undefined && <> (earlier ticked by {lastEarlier.byEmail})</>}
        </p>
      )}
      {noteOpen && canTick && !ticked && (
        <div className="checklist-detail tick-form">
          <TextField
            inline
            label={`Note for “${item.text}”`}
            value={note}
            maxLength={1000}
            onValueChange={setNote}
          />
          <TextField
            inline
            label="Evidence link (optional)"
            type="url"
            placeholder="https://…"
            value={evidenceUrl}
            onValueChange={setEvidenceUrl}
          />
          <p className="field-hint">Tick the box to save the item with this note.</p>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} title={`“${item.text}” not changed`} />}
    </li>
  );
}
