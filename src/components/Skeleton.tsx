type SkeletonRowsProps = { rows?: number; label: string };

/** Placeholder bars while a query's first result is on its way. */
export function SkeletonRows({ rows = 5, label }: SkeletonRowsProps) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton-bar" aria-hidden="true" />
      ))}
    </div>
  );
}
