import type { PaginationStatus } from "convex/react";
import type { ReactNode } from "react";

type LoadMoreProps = {
  status: PaginationStatus;
  onLoadMore: () => void;
  /** What else the list's foot says, e.g. that the list has ended. */
  children?: ReactNode;
};

/** The foot of a paginated list: a button while there is more, a status while the next page loads. */
export function LoadMore({ status, onLoadMore, children }: LoadMoreProps) {
  return (
    <div className="toolbar">
      {status === "CanLoadMore" && (
        <button type="button" className="button" onClick={onLoadMore}>
          Load more
        </button>
      )}
      {status === "LoadingMore" && <span role="status">Loading more…</span>}
      {children}
    </div>
  );
}
