import { useEffect } from "react";

const APP_NAME = "Convex Ops Console";

/** Names the browser tab and history entry after the page, e.g. "Errors · Convex Ops Console". */
export function useDocumentTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · ${APP_NAME}`;
  }, [page]);
}
