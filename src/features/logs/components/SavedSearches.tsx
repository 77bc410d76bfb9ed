import { useId, useState } from "react";
import { Link } from "@tanstack/react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useMutationState } from "@/lib/useMutationState";
import { LOG_LIMITS } from "@convex/logs/shared";
import { useDeleteSavedSearch, useSavedSearches, useSaveSearch } from "../api";
import type { LogsSearch } from "../search";

type Props = {
  search: LogsSearch;
  /** The query on screen, when it parses and is not empty: what "Save" saves. */
  savable: string | null;
  canEdit: boolean;
  /** The saved search the page opened (its id), marked as the current one. */
  openId: string | undefined;
};

/**
 * The team's saved searches, each a link that opens it by id (`/logs?saved=<id>`); operators and
 * admins save the query on screen under a name and delete saved ones.
 */
export function SavedSearches({ search, savable, canEdit, openId }: Props) {
  const saved = useSavedSearches();
  const save = useMutationState(useSaveSearch());
  const remove = useMutationState(useDeleteSavedSearch());
  const [name, setName] = useState("");
  const nameId = useId();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (savable === null) return;
    const outcome = await save.run({ name, query: savable });
    if (outcome.ok) setName("");
  };

  return (
    <section className="log-saved-searches" aria-label="Saved searches">
      <nav className="log-saved" aria-label="The team's saved searches">
        <span className="muted">Saved:</span>
        {saved === undefined ? (
          <span className="muted" role="status">
            Loading saved searches…
          </span>
        ) : saved.length === 0 ? (
          <span className="muted">none yet{canEdit ? "" : " (operators and admins save searches for the team)"}.</span>
        ) : (
          saved.map((item) => (
            <span key={item._id} className="chip">
              <Link
                to="/logs"
                search={{ mode: search.mode, saved: item._id }}
                title={item.query}
                aria-current={item._id === openId ? "page" : undefined}
              >
                {item.name}
              </Link>
              {canEdit && (
                <button
                  type="button"
                  className="button-link"
                  aria-label={`Delete saved search ${item.name}`}
                  disabled={remove.pending}
                  onClick={() => void remove.run({ id: item._id })}
                >
                  ×
                </button>
              )}
            </span>
          ))
        )}
      </nav>
      {canEdit && (
        <form className="log-save-form" onSubmit={(event) => void submit(event)}>
          <label htmlFor={nameId}>Save this search for the team as</label>
          <input
            id={nameId}
            className="input"
            value={name}
            maxLength={LOG_LIMITS.savedNameLength}
            onChange={(event) => setName(event.target.value)}
            placeholder="Errors in the last hour"
          />
          <button
            type="submit"
            className="button"
            disabled={savable === null || name.trim() === "" || save.pending}
          >
            Save search
          </button>
        </form>
      )}
      {save.error !== null && <ErrorNotice error={save.error} title="Could not save the search" />}
      {remove.error !== null && <ErrorNotice error={remove.error} title="Could not delete the saved search" />}
    </section>
  );
}
