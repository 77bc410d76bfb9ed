import { useEffect, useState } from "react";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { useMinute } from "@/lib/clock";
import { viewerHasRole } from "@/lib/viewer";
import { useEnsureCurrentRuns, useRunbookBoard, useRunbookEvidence } from "../api";
import { ChecklistCard } from "./ChecklistCard";
import { HistorySection } from "./HistorySection";
import { OnDemandSection } from "./OnDemandSection";
import type { RunbookSearch } from "../search";
import { TemplateAdmin } from "./TemplateAdmin";
import type { Board, EvidenceMap } from "../types";

const CADENCE_LABELS: Record<string, string> = {
  daily: "Today",
  weekly: "This week",
  monthly: "This month",
  quarterly: "This quarter",
};

type RunbooksPageProps = {
  search: RunbookSearch;
  /** The item an alert's runbook link names in the URL's hash, "" for none. */
  linkedItem?: string;
  onSearchChange: (search: RunbookSearch) => void;
};

export function RunbooksPage({ search, linkedItem = "", onSearchChange }: RunbooksPageProps) {
  return (
    <Page
      title="Runbooks"
      description="The runbook's daily, weekly, monthly and quarterly checklists, the emergency procedures, and who ticked what."
    >
      <RunbooksContent search={search} linkedItem={linkedItem} onSearchChange={onSearchChange} />
    </Page>
  );
}

function RunbooksContent({ search, linkedItem = "", onSearchChange }: RunbooksPageProps) {
  const viewer = useViewer();
  const now = useMinute();
  const board = useRunbookBoard(now);
  const evidence = useRunbookEvidence(now);
  const ensureError = useEnsureRuns(board);
  useOpenLinkedItem(board !== undefined, linkedItem);
  if (viewer === undefined || board === undefined) {
    return <SkeletonRows label="Loading the checklists…" rows={6} />;
  }
  const canTick = viewerHasRole(viewer, "operator");
  return (
    <div className="stack-lg">
      {!canTick && (
        <div className="notice notice-info" role="status">
          <p>
            You are signed in as <strong>{viewer.role}</strong>: you can see every checklist and who ticked
            what, but ticking needs the operator role.
          </p>
        </div>
      )}
      {ensureError !== null && (
        <ErrorNotice error={ensureError} title="Could not start this period's checklists" />
      )}
      <section aria-labelledby="current-heading" className="stack">
        <h2 id="current-heading">
          This period <span className="muted heading-note">in {board.timeZone}</span>
        </h2>
        <CurrentRuns board={board} canTick={canTick} evidence={evidence} now={now} />
      </section>
      <ErrorBoundary title="Could not show the on-demand runbooks">
        <OnDemandSection board={board} canTick={canTick} evidence={evidence} now={now} />
      </ErrorBoundary>
      <ErrorBoundary key={search.history ?? ""} title="Could not load the history">
        <HistorySection
          board={board}
          now={now}
          slug={search.history}
          onSlugChange={(history) => onSearchChange({ ...search, history })}
        />
      </ErrorBoundary>
      {viewerHasRole(viewer, "admin") && (
        <ErrorBoundary key={`edit|${search.edit ?? ""}`} title="Could not load the template editor">
          <TemplateAdmin
            board={board}
            slug={search.edit}
            onSlugChange={(edit) => onSearchChange({ ...search, edit })}
          />
        </ErrorBoundary>
      )}
    </div>
  );
}

/**
 * An alert's runbook link names its item in the hash (`/runbooks?history=<template>#<item>`): once the
 * checklists are on the page, that item scrolls into view and its checkbox takes the focus.
 */
function useOpenLinkedItem(loaded: boolean, hash: string) {
  useEffect(() => {
    if (!loaded || hash === "") return;
    const item = document.querySelector<HTMLElement>(`[data-runbook-item="${CSS.escape(hash)}"]`);
    if (item === null) return;
    item.scrollIntoView?.({ block: "center" });
    item.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
  }, [loaded, hash]);
}

/** Creates this period's runs (and seeds the templates) the first time anyone opens the page. */
function useEnsureRuns(board: Board | undefined): unknown {
  const ensure = useEnsureCurrentRuns();
  const [error, setError] = useState<unknown>(null);
  const wanted = board !== undefined && (board.needsSeed || board.missingRuns > 0);
  const periods = board?.current.map((entry) => entry.period.key).join("|") ?? "";
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    ensure({}).then(
      () => {
        if (!cancelled) setError(null);
      },
      (caught: unknown) => {
        if (!cancelled) setError(caught);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [wanted, periods, ensure]);
  return error;
}

type CurrentRunsProps = {
  board: Board;
  canTick: boolean;
  evidence: EvidenceMap | undefined;
  now: number;
};

function CurrentRuns({ board, canTick, evidence, now }: CurrentRunsProps) {
  if (board.current.length === 0) {
    return <SkeletonRows label="Setting up the runbook's checklists…" rows={3} />;
  }
  return (
    <div className="two-columns">
      {board.current.map(({ template, period, run, previous }) =>
        run === null ? (
          <div key={template._id} className="card">
            <h3>{template.title}</h3>
            <SkeletonRows label={`Starting ${template.title} for ${period.key}…`} rows={2} />
          </div>
        ) : (
          <ChecklistCard
            key={run._id}
            run={run}
            periodLabel={`${CADENCE_LABELS[template.cadence] ?? template.cadence} · ${period.key}`}
            canTick={canTick}
            evidence={evidence}
            now={now}
            overduePrevious={previous?.overdue ? previous : null}
          />
        ),
      )}
    </div>
  );
}
