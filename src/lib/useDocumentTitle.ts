import { useEffect } from "react";

const APP_NAME = "Convex Ops Console";

/** "(2 firing) Alerts · Convex Ops Console": the tab carries the firing count only when something fires. */
export function documentTitle(page: string, firing = 0): string {
  return `${firing > 0 ? `(${firing} firing) ` : ""}${page} · ${APP_NAME}`;
}

/** Names the browser tab and history entry after the page, e.g. "Errors · Convex Ops Console". */
export function useDocumentTitle(page: string, firing = 0): void {
  useEffect(() => {
    document.title = documentTitle(page, firing);
  }, [page, firing]);
}
