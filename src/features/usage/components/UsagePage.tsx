import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useMinute } from "@/lib/clock";
import { useUsageSummary } from "../api";
import type { UsageSearch } from "../search";
import { ConvexFiguresCard } from "./ConvexFiguresCard";
import { DailyUsageCard } from "./DailyUsageCard";
import { MonthToDate } from "./MonthToDate";
import { PlanSection } from "./PlanSection";
import { StorageByKind } from "./StorageByKind";
import { TopConsumers } from "./TopConsumers";

type UsagePageProps = { search: UsageSearch; onSearchChange: (search: UsageSearch) => void };

export function UsagePage({ search, onSearchChange }: UsagePageProps) {
  const now = useMinute();
  return (
    <Page
      title="Usage"
      description="This month so far against your plan's included amounts, summed over every watched deployment, with a forecast — metered from the log stream as Convex meters it."
    >
      <ErrorBoundary title="Could not load usage">
        <UsageContent now={now} search={search} onSearchChange={onSearchChange} />
      </ErrorBoundary>
    </Page>
  );
}

function UsageContent({ now, search, onSearchChange }: UsagePageProps & { now: number }) {
  const summary = useUsageSummary(now);
  // Sections that read their own data are mounted while the summary loads, so every query of the
  // page goes out at once rather than after the summary has arrived.
  return (
    <div className="stack-lg">
      {summary === undefined ? (
        <SkeletonRows rows={6} label="Loading usage…" />
      ) : (
        <>
          <PlanSection summary={summary} />
          {summary.deployments.length === 0 && (
            <p className="notice notice-info">
              No usage recorded this month yet: usage is metered from the log stream, so it appears once a
              deployment streams here.
            </p>
          )}
        </>
      )}
      <MonthToDate summary={summary} />
      {summary !== undefined && (
        <DailyUsageCard summary={summary} search={search} onSearchChange={onSearchChange} />
      )}
      <ErrorBoundary title="Could not load the top consumers">
        <TopConsumers now={now} />
      </ErrorBoundary>
      {summary !== undefined && <StorageByKind summary={summary} />}
      <ErrorBoundary title="Could not load Convex's own figures">
        <ConvexFiguresCard now={now} />
      </ErrorBoundary>
    </div>
  );
}
