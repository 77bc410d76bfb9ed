/** Where a long piece of work stands, as its feature describes it from the work's live record. */
export type WorkProgressView = {
  label: string;
  /** 0–100 when the step knows how far it is; null for an indeterminate bar. */
  percent: number | null;
  detail: string | null;
  running: boolean;
  tone: "running" | "ok" | "problem" | "neutral";
};

/**
 * The bar while the work runs and its one line of detail, announced as it changes; a problem
 * reads as an error notice.
 */
export function WorkProgress({ view, label }: { view: WorkProgressView; label: string }) {
  return (
    <>
      {view.running && (
        <progress aria-label={label} max={100} {...(view.percent !== null ? { value: view.percent } : {})} />
      )}
      {view.detail && (
        <p className={view.tone === "problem" ? "notice notice-error" : "muted"} role="status">
          {view.detail}
        </p>
      )}
    </>
  );
}
