import type { ComponentType, ReactNode } from "react";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import type { RangeKey } from "@/lib/timeRange";
import { useFiringAlerts } from "../api";
import type { OverviewScope } from "../Overview.utils";
import { FiringAlertsStrip } from "./FiringAlertsStrip";
import { HealthTiles } from "./HealthTiles";
import { NewestErrorGroups } from "./NewestErrorGroups";
import { SlowestFunctions } from "./SlowestFunctions";

type OverviewSearch = { deployment?: string; range?: RangeKey };

/**
 * The deployment and range picker the metrics pages share. The route passes it in, so Overview
 * composes it without importing another feature.
 */
type ScopePicker = ComponentType<{
  search: OverviewSearch;
  onScopeChange: (search: OverviewSearch) => void;
  rangeHint?: ReactNode;
  children: (scope: OverviewScope) => ReactNode;
}>;

type OverviewPageProps = {
  search: OverviewSearch;
  onSearchChange: (search: OverviewSearch) => void;
  ScopePicker: ScopePicker;
};

export function OverviewPage({ search, onSearchChange, ScopePicker }: OverviewPageProps) {
  const alerts = useFiringAlerts();
  return (
    <Page
      title="Overview"
      firing={alerts?.firing}
      description="Health at a glance for the watched deployment, live."
    >
      <FiringAlertsStrip alerts={alerts} />
      <ScopePicker
        search={search}
        onScopeChange={onSearchChange}
        rangeHint="Tiles always show the last hour; the range applies to the lists below."
      >
        {(scope) => (
          <>
            <ErrorBoundary key={`${scope.deployment}|${scope.to}`} title="Could not load the health tiles">
              <HealthTiles scope={scope} />
            </ErrorBoundary>
            <div className="two-columns">
              <ErrorBoundary
                key={`f|${scope.deployment}|${scope.from}`}
                title="Could not load the slowest functions"
              >
                <SlowestFunctions scope={scope} />
              </ErrorBoundary>
              <ErrorBoundary key={`e|${scope.deployment}|${scope.from}`} title="Could not load error groups">
                <NewestErrorGroups scope={scope} />
              </ErrorBoundary>
            </div>
          </>
        )}
      </ScopePicker>
    </Page>
  );
}
