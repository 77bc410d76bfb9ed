import { Link } from "@tanstack/react-router";
import { SkeletonRows } from "@/components/Skeleton";
import { useChecklistSummary } from "../api";
import { checklistShortTitle } from "../Overview.utils";
import { Tile } from "./Tile";

/** The runbook's recurring checklists for this period, and how many recent periods ended unticked. */
export function ChecklistsTile({ now }: { now: number }) {
  const summary = useChecklistSummary(now);
  if (summary === undefined) {
    return (
      <li className="tile tile-none">
        <p className="tile-label">Checklists</p>
        <SkeletonRows rows={2} label="Loading the checklists…" />
      </li>
    );
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
