import { useRef } from "react";
import { useQuery } from "convex/react";
import type { FunctionReference, FunctionReturnType, OptionalRestArgs } from "convex/server";

/**
 * `useQuery` that keeps showing the last answer while a new one loads. Queries that take the minute
 * as an argument resubscribe every minute, and plain `useQuery` answers `undefined` until the new
 * result arrives: the page would drop to skeletons and unmount whatever a person was typing.
 * Still `undefined` before the first answer, so skeletons show on first load.
 */
export function useStableQuery<Query extends FunctionReference<"query">>(
  query: Query,
  ...args: OptionalRestArgs<Query>
): FunctionReturnType<Query> | undefined {
  const result = useQuery(query, ...args);
  const last = useRef(result);
  if (result !== undefined) last.current = result;
  return result ?? last.current;
}
