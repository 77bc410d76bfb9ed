import { hasRole, type Role } from "@convex/lib/shared";
import type { useViewer } from "./api";

export type Viewer = NonNullable<ReturnType<typeof useViewer>>;

export function viewerHasRole(viewer: Viewer | undefined, required: Role): boolean {
  return viewer !== undefined && hasRole(viewer.role, required);
}
