import { useQuery } from "convex/react";
import { api } from "../../convex/_generated/api";
import { hasRole, type Role } from "../../convex/lib/shared";

export type Viewer = NonNullable<ReturnType<typeof useViewer>>;

/** The signed-in user; undefined while loading. Throws (to the nearest ErrorBoundary) on failure. */
export function useViewer() {
  return useQuery(api.users.account.me);
}

export function viewerHasRole(viewer: Viewer | undefined, required: Role): boolean {
  return viewer !== undefined && hasRole(viewer.role, required);
}
