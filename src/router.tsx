import { createRouter, type RouterHistory } from "@tanstack/react-router";
import { ErrorNotice } from "./components/ErrorNotice";
import { SkeletonRows } from "./components/Skeleton";
import { routeTree } from "./routeTree.gen";

/** The app's router; tests pass a memory history to start on any page. */
export function createAppRouter(history?: RouterHistory) {
  return createRouter({
    routeTree,
    ...(history && { history }),
    defaultPreload: "intent",
    scrollRestoration: true,
    defaultPendingComponent: () => <SkeletonRows label="Loading page…" />,
    defaultErrorComponent: ({ error, reset }) => (
      <ErrorNotice error={error} title="This page failed" onRetry={reset} />
    ),
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
