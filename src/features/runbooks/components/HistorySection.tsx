import { useRunbookHistory } from "../api";
import type { HistoryState } from "@convex/runbooks/shared";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { pickTemplate } from "../Runbooks.utils";
import type { Board, History } from "../types";
import { SelectField } from "@/components/SelectField";

const STATE_TEXT: Record<HistoryState, string> = {
  open: "In progress",
  complete: "Complete",
  overdue: "Overdue",
  closed_incomplete: "Closed incomplete",
  no_run: "No run",
};

type HistorySectionProps = {
  board: Board;
  now: number;
  slug: string | undefined;
  onSlugChange: (slug: string | undefined) => void;
};

/** One template's recent periods as a coloured strip, and a table of who ticked what. */
export function HistorySection({ board, now, slug, onSlugChange }: HistorySectionProps) {
  const { templates, selected } = pickTemplate(board, slug);
  return (
    <section aria-labelledby="history-heading" className="stack">
      <h2 id="history-heading">History</h2>
      {selected === undefined ? (
        <p className="muted">No checklists yet.</p>
      ) : (
        <>
          <SelectField
            label="Checklist"
            value={selected.slug}
            options={templates.map((template) => ({ value: template.slug, label: template.title }))}
            onChange={onSlugChange}
          />
          <TemplateHistory templateId={selected._id} title={selected.title} now={now} />
        </>
      )}
    </section>
  );
}

function TemplateHistory({
  templateId,
  title,
  now,
}: {
  templateId: History["template"]["_id"];
  title: string;
  now: number;
}) {
  const history = useRunbookHistory(templateId, now);
  if (history === undefined) {
    return <SkeletonRows label={`Loading the history of ${title}…`} rows={4} />;
  }
  const oldestFirst = [...history.strip].reverse();
  return (
    <div className="stack">
      <ol className="history-strip" aria-label={`Recent periods of ${title}, oldest first`}>
        {oldestFirst.map((cell) => (
          <li
            key={`${cell.key}|${cell.runId ?? ""}`}
            className={`history-cell history-${cell.state}`}
            title={`${cell.key}: ${STATE_TEXT[cell.state]}${cell.state === "no_run" ? "" : ` (${cell.ticked} of ${cell.total})`}`}
          >
            <span className="visually-hidden">
              {cell.key}: {STATE_TEXT[cell.state]}
              {cell.state === "no_run" ? "" : `, ${cell.ticked} of ${cell.total} ticked`}
            </span>
          </li>
        ))}
      </ol>
      <ul className="history-legend" aria-label="Legend">
        {(["complete", "open", "overdue", "no_run"] as const).map((state) => (
          <li key={state}>
            <span className={`history-cell history-${state}`} aria-hidden="true" /> {STATE_TEXT[state]}
          </li>
        ))}
      </ul>
      <DataTable
        caption={`Runs of ${title}`}
        columns={RUN_COLUMNS}
        data={history.runs}
        getRowId={(run) => run._id}
        initialSorting={[{ id: "periodStart", desc: true }]}
        empty="No runs yet."
      />
    </div>
  );
}

type HistoryRun = History["runs"][number];

const column = columnHelperFor<HistoryRun>();

const RUN_COLUMNS = column.columns([
  column.accessor("periodStart", {
    header: "Period",
    sortFn: "basic",
    cell: (info) => {
      const run = info.row.original;
      return run.periodEnd === null ? (
        <span className="cell-stack">
          <strong>{run.title}</strong>
          <Timestamp ms={run.periodStart} />
        </span>
      ) : (
        <span className="mono">{run.periodKey}</span>
      );
    },
  }),
  column.accessor((run) => run.progress.state, {
    id: "state",
    header: "State",
    sortFn: "text",
    cell: (info) => (
      <span className={`badge history-badge-${info.getValue()}`}>{STATE_TEXT[info.getValue()]}</span>
    ),
  }),
  column.accessor((run) => run.progress.percent, {
    id: "progress",
    header: "Done",
    sortFn: "basic",
    cell: (info) => `${info.row.original.progress.ticked} of ${info.row.original.progress.total}`,
  }),
  column.display({
    id: "ticks",
    header: "Who ticked what",
    cell: (info) => <TickList run={info.row.original} />,
  }),
]);

function TickList({ run }: { run: HistoryRun }) {
  const ticked = run.ticks.filter((tick) => tick.ticked);
  return (
    <div className="cell-stack">
      {ticked.length === 0 ? (
        <span className="muted">
          {run.untickedItems.length === 0
            ? "Nothing ticked"
            : `None of the ${run.untickedItems.length} items ticked: ${run.untickedItems.join("; ")}`}
        </span>
      ) : (
        <ul className="tick-list">
          {ticked.map((tick) => (
            <li key={tick.itemKey}>
              {tick.itemText} — {tick.byEmail} <Timestamp ms={tick.at} />
              {tick.note !== null && <span className="tick-note"> “{tick.note}”</span>}
            </li>
          ))}
        </ul>
      )}
      {ticked.length > 0 && run.untickedItems.length > 0 && (
        <span className="muted">Not ticked: {run.untickedItems.join("; ")}</span>
      )}
      {run.closedBy !== null && <span className="muted">Closed by {run.closedBy}</span>}
    </div>
  );
}
