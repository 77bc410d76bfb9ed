import { useState } from "react";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { useDeleteSearchRule } from "../api";

/** An admin deletes an alert made from a Logs search, after typing its search. */
export function DeleteSearchRule({ ruleKey, name, query }: { ruleKey: string; name: string; query: string }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useMutationState(useDeleteSearchRule());
  return (
    <>
      <button
        type="button"
        className="button button-small button-danger"
        aria-label={`Delete ${name}`}
        onClick={() => setConfirming(true)}
      >
        Delete
      </button>
      {confirming && (
        <TypedConfirmDialog
          title="Delete this alert?"
          consequences={
            <p>
              The alert on the search <code>{query}</code> stops being counted, and its history stays. If it
              is firing, it resolves now and the channels are told.
            </p>
          }
          confirmText={query}
          actionLabel="Delete alert"
          pending={remove.pending}
          error={
            remove.error !== null ? (
              <ErrorNotice error={remove.error} title="Could not delete the alert" />
            ) : null
          }
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void remove.run({ key: ruleKey }).then((outcome) => {
              if (outcome.ok) setConfirming(false);
            })
          }
        />
      )}
    </>
  );
}
