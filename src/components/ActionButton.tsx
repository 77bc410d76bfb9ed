import { useMutationState } from "@/lib/useMutationState";
import { ErrorNotice } from "./ErrorNotice";

type ActionButtonProps = {
  /** What the button says, and what it says while the action runs. */
  label: string;
  pendingLabel: string;
  /** Names the row the button acts on, for screen readers ("Revoke invite for ada@example.com"). */
  accessibleName: string;
  /** The heading of the sentence shown under the button when the action fails. */
  failureTitle: string;
  action: () => Promise<unknown>;
};

/** A small table-row button that runs one backend action, shows it running, and keeps its failure in place. */
export function ActionButton({
  label,
  pendingLabel,
  accessibleName,
  failureTitle,
  action,
}: ActionButtonProps) {
  const { run, pending, error } = useMutationState(action);
  return (
    <div className="cell-stack">
      <button
        type="button"
        className="button button-small"
        disabled={pending}
        aria-label={accessibleName}
        onClick={() => void run()}
      >
        {pending ? pendingLabel : label}
      </button>
      {error !== null && <ErrorNotice error={error} title={failureTitle} />}
    </div>
  );
}
