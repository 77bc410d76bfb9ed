import { useEffect, useId, useRef, useState, type ReactNode } from "react";

type TypedConfirmDialogProps = {
  title: string;
  /** What the action destroys, in plain words. */
  consequences: ReactNode;
  /** The exact text the operator must type, e.g. the email of the user being removed. */
  confirmText: string;
  actionLabel: string;
  pending?: boolean;
  error?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
};

/** Destructive actions stay disabled until the operator types the name of what they destroy. */
export function TypedConfirmDialog({
  title,
  consequences,
  confirmText,
  actionLabel,
  pending = false,
  error,
  onConfirm,
  onCancel,
}: TypedConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const titleId = useId();
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const matches = typed.trim() === confirmText;

  useEffect(() => {
    const previouslyFocused = document.activeElement;
    inputRef.current?.focus();
    return () => {
      if (previouslyFocused instanceof HTMLElement) {
        previouslyFocused.focus();
      }
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            onCancel();
          }
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="dialog-body">{consequences}</div>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (matches && !pending) {
              onConfirm();
            }
          }}
        >
          <label htmlFor={inputId}>
            Type <strong className="mono">{confirmText}</strong> to confirm
          </label>
          <input
            id={inputId}
            ref={inputRef}
            className="input"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setTyped(event.target.value)}
          />
          {error}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" className="button button-danger" disabled={!matches || pending}>
              {pending ? "Working…" : actionLabel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
