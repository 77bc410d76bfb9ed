/** The backend calls every feature shares, one hook each. */
import { useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

/** The signed-in user; undefined while loading. Throws (to the nearest ErrorBoundary) on failure. */
export const useViewer = () => useQuery(api.users.users.me);
