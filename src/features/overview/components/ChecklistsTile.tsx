import { Link } from "@tanstack/react-router";
import { useChecklistSummary } from "../api";
import { checklistShortTitle } from "../Overview.utils";
import { LoadingTile, Tile } from "./Tile";

/** The runbook's recurring checklists for this period, and how many recent periods ended unticked. */
export function ChecklistsTile({ now }: { now: number }) {
  const summary = useChecklistSummary(now);
  if (summary === undefined) {
    return <LoadingTile label="Checklists" loading="Loading the checklists…" />;
  }
  const progress = summary.current.map((checklist) => (
    <span key={checklist.templateId}>
      {checklistShortTitle(checklist.title)}{" "}
      {checklist.total === null ? "not started" : `${checklist.ticked}/${checklist.total}`}
    </span>
  ));
  return (
    <Tile
      label="Checklists"
      value={
        <Link to="/runbooks" className="tile-link">
          {progress.length === 0 ? "No checklists yet" : progress}
        </Link>
      }
      state={summary.overdueRuns > 0 ? "alert" : "ok"}
      thresholdText={`${summary.overdueRuns} overdue in recent periods · ${summary.openOnDemand} on-demand open`}
    />
  );
}
