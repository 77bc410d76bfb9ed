import { useId, useMemo, useState } from "react";
import { Link } from "@tanstack/react-router";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { useMinute } from "@/lib/clock";
import { viewerHasRole } from "@/lib/viewer";
import { FIELD_NAMES } from "@convex/logs/shared";
import { useSavedSearch } from "../api";
import { checkQuery } from "../Logs.utils";
import type { LogMode, LogsSearch } from "../search";
import { CreateAlertFromSearch } from "./CreateAlertFromSearch";
import { LiveTail } from "./LiveTail";
import { LogTimelineDrawer } from "./LogTimelineDrawer";
import { SavedSearches } from "./SavedSearches";
import { SearchResults } from "./SearchResults";

type Props = {
  search: LogsSearch;
  onSearchChange: (next: LogsSearch, options?: { push?: boolean }) => void;
};

const EXAMPLES = [
  "level:error timestamp:>-1h",
  'message:"Slow query detected"',
  'function:"tasks.list" level:error',
  "dbCalls:>50",
];

/** Search every stored event with the seeds' query language, or tail the same query live. */
export function LogsPage({ search, onSearchChange }: Props) {
  // A saved search's link carries its id; a query typed over it takes its place in the URL.
  const openingSaved = search.q === undefined ? search.saved : undefined;
  const saved = useSavedSearch(openingSaved);
  const query = search.q ?? (openingSaved !== undefined ? saved?.query : undefined) ?? "";
  const mode: LogMode = search.mode ?? "search";
  // Relative times (`-1h`) are fixed when a query is run, so its pages stay one consistent view.
  const [ranAt, setRanAt] = useState(() => Date.now());
  const check = useMemo(() => checkQuery(query, ranAt), [query, ranAt]);
  const canEdit = viewerHasRole(useViewer(), "operator");

  const run = (text: string) => {
    setRanAt(Date.now());
    onSearchChange(
      { ...search, q: text.trim() === "" ? undefined : text.trim(), saved: undefined },
      { push: true },
    );
  };

  const setMode = (next: LogMode) => {
    setRanAt(Date.now());
    onSearchChange({ ...search, mode: next === "search" ? undefined : next });
  };

  const openRequest = (requestId: string, deployment: string) =>
    onSearchChange({ ...search, request: requestId, deployment }, { push: true });

  return (
    <Page
      title="Logs"
      description="Every function execution, console line and deploy stored in the last 24 hours, searched on the server."
    >
      <QueryForm key={query} query={query} onRun={run} />

      <div className="toolbar log-modes" role="group" aria-label="Mode">
        <button
          type="button"
          className="button"
          aria-pressed={mode === "search"}
          onClick={() => setMode("search")}
        >
          Results
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={mode === "tail"}
          onClick={() => setMode("tail")}
        >
          Live tail
        </button>
      </div>

      <CreateAlertFromSearch query={query} usable={check.ok && query !== ""} />

      <nav className="log-saved" aria-label="Example searches">
        <span className="muted">Examples:</span>
        {EXAMPLES.map((example) => (
          <Link
            key={example}
            to="/logs"
            search={{ ...search, q: example, saved: undefined }}
            className="chip mono"
          >
            {example}
          </Link>
        ))}
      </nav>
      <SavedSearches
        search={search}
        savable={check.ok && query !== "" ? query : null}
        canEdit={canEdit}
        openId={openingSaved}
      />

      {openingSaved !== undefined && saved === undefined ? (
        <SkeletonRows label="Opening the saved search" />
      ) : openingSaved !== undefined && saved === null ? (
        <p className="notice notice-error" role="alert">
          This saved search no longer exists: it was deleted, or the link is not one. Type a query or open
          another saved search.
        </p>
      ) : check.ok ? (
        <ErrorBoundary key={`${mode}|${query}|${ranAt}`} title="Could not search the logs">
          {mode === "search" ? (
            <SearchResults query={query} now={ranAt} highlights={check.highlights} onOpen={openRequest} />
          ) : (
            <LiveTail query={query} now={ranAt} highlights={check.highlights} onOpen={openRequest} />
          )}
        </ErrorBoundary>
      ) : null}

      {search.request !== undefined && (
        <LogTimelineDrawer
          requestId={search.request}
          deployment={search.deployment}
          onClose={() => onSearchChange({ ...search, request: undefined, deployment: undefined })}
        />
      )}
    </Page>
  );
}

type QueryFormProps = { query: string; onRun: (text: string) => void };

/** The search box: checks the query as it is typed and shows where and why it does not parse. */
function QueryForm({ query, onRun }: QueryFormProps) {
  const [draft, setDraft] = useState(query);
  const minute = useMinute();
  const draftCheck = useMemo(() => checkQuery(draft, minute), [draft, minute]);
  const hintId = useId();
  const errorId = useId();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (draftCheck.ok) onRun(draft);
  };
  return (
    <form className="log-search" role="search" onSubmit={submit}>
      <label htmlFor={`${hintId}-input`}>Query</label>
      <div className="log-search-row">
        <input
          id={`${hintId}-input`}
          className="input mono"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="level:error timestamp:>-1h"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={!draftCheck.ok}
          aria-describedby={draftCheck.ok ? hintId : errorId}
        />
        <button type="submit" className="button button-primary" disabled={!draftCheck.ok}>
          Search
        </button>
      </div>
      {draftCheck.ok ? (
        <p id={hintId} className="field-hint">
          <code>field:value</code>, <code>field:"phrase"</code>, <code>{"dbCalls:>50"}</code>,{" "}
          <code>{"duration:>250ms"}</code>, <code>{"timestamp:>-1h"}</code>, AND / OR / NOT /{" "}
          <code>-field:x</code>, parentheses, bare words search the message. Fields: {FIELD_NAMES.join(", ")}.
        </p>
      ) : (
        <p id={errorId} className="log-query-error" role="alert">
          Column {draftCheck.column}: {draftCheck.message}
          <br />
          <code className="mono" aria-hidden="true">
            {draft}
            <br />
            {" ".repeat(draftCheck.column - 1)}
            {"^".repeat(Math.max(1, Math.min(draftCheck.length, draft.length - draftCheck.column + 1)))}
          </code>
        </p>
      )}
    </form>
  );
}
