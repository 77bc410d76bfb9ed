import { useId, useRef, type KeyboardEvent } from "react";
import { FunctionLinkScope } from "@/components/FunctionLink";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { describeSlowThresholds } from "@/lib/format";
import { useConsoleSettings } from "../api";
import { FunctionStatsView } from "./FunctionStatsView";
import { MetricsScope } from "./MetricsScope";
import { RequestTimelineDrawer } from "./RequestTimelineDrawer";
import { SLOW_VIEWS, type SlowView } from "../search";
import { SlowCallsView } from "./SlowCallsView";
import { SlowFilterBar } from "./SlowFilterBar";
import type { SlowQueriesPageProps, SlowQueriesViewProps } from "../slowQueriesView";

function SlowQueriesDescription() {
  const settings = useConsoleSettings();
  const rule =
    settings === undefined
      ? "the slow thresholds"
      : describeSlowThresholds({
          durationMs: settings.values.slowDurationMs,
          dbCalls: settings.values.slowDbCalls,
          docsScanned: settings.values.slowDocsScanned,
        });
  return <>Which functions take the time, and every call {rule} (thresholds are in Settings).</>;
}

const VIEW_LABELS: Record<SlowView, string> = { functions: "By function", calls: "Slow calls" };

export function SlowQueriesPage({ search, onSearchChange }: SlowQueriesPageProps) {
  return (
    <Page title="Slow queries" description={<SlowQueriesDescription />}>
      <MetricsScope
        search={search}
        onScopeChange={(scope) => onSearchChange({ ...search, ...scope, request: undefined })}
      >
        {(scope) => (
          <FunctionLinkScope deployment={scope.deployment}>
            <SlowQueriesContent scope={scope} search={search} onSearchChange={onSearchChange} />
          </FunctionLinkScope>
        )}
      </MetricsScope>
    </Page>
  );
}

function SlowQueriesContent({ scope, search, onSearchChange }: SlowQueriesViewProps) {
  const view = search.view ?? "functions";
  const tabIds = { functions: useId(), calls: useId() };
  const panelId = useId();
  const tabRefs = useRef<Record<SlowView, HTMLButtonElement | null>>({ functions: null, calls: null });

  function selectView(next: SlowView) {
    onSearchChange({ ...search, view: next === "functions" ? undefined : next, sort: undefined });
    tabRefs.current[next]?.focus();
  }

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    event.preventDefault();
    const index = SLOW_VIEWS.indexOf(view);
    const next =
      SLOW_VIEWS[(index + (event.key === "ArrowRight" ? 1 : SLOW_VIEWS.length - 1)) % SLOW_VIEWS.length]!;
    selectView(next);
  }

  const argsKey = `${scope.deployment}|${scope.from}|${scope.to}`;
  return (
    <div className="stack">
      <div className="tabs" role="tablist" aria-label="Slow queries views" onKeyDown={onTabKey}>
        {SLOW_VIEWS.map((candidate) => (
          <button
            key={candidate}
            ref={(element) => {
              tabRefs.current[candidate] = element;
            }}
            id={tabIds[candidate]}
            type="button"
            role="tab"
            className="tab"
            aria-selected={candidate === view}
            aria-controls={panelId}
            tabIndex={candidate === view ? 0 : -1}
            onClick={() => selectView(candidate)}
          >
            {VIEW_LABELS[candidate]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={tabIds[view]} className="stack">
        <SlowFilterBar search={search} onSearchChange={onSearchChange} />
        <ErrorBoundary key={`${view}|${argsKey}`} title={`Could not load ${VIEW_LABELS[view].toLowerCase()}`}>
          {view === "functions" ? (
            <FunctionStatsView scope={scope} search={search} onSearchChange={onSearchChange} />
          ) : (
            <SlowCallsView scope={scope} search={search} onSearchChange={onSearchChange} />
          )}
        </ErrorBoundary>
      </div>
      {search.request !== undefined && (
        <RequestTimelineDrawer
          deployment={scope.deployment}
          requestId={search.request}
          onClose={() => onSearchChange({ ...search, request: undefined })}
        />
      )}
    </div>
  );
}
