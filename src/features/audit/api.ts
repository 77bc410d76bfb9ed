/** Every backend call the Audit feature makes, one hook each. */
import { usePaginatedQuery } from "convex/react";
import type { FunctionArgs } from "convex/server";
import { api } from "@convex/_generated/api";

export type AuditTrailArgs = Omit<FunctionArgs<typeof api.audit.audit.list>, "paginationOpts">;

export const useAuditTrail = (args: AuditTrailArgs, initialNumItems: number) =>
  usePaginatedQuery(api.audit.audit.list, args, { initialNumItems });
