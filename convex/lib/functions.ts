/**
 * The one set of function builders every public Convex function uses. Each builder checks the
 * caller's role before the handler runs and hands the handler the signed-in user as `ctx.user`.
 * Builders tag what they register with the access level, so tests can prove no public function
 * bypasses them.
 */
import { getAuthUserId } from "@convex-dev/auth/server";
import { customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import type { Doc } from "../_generated/dataModel";
import {
  internalAction as rawInternalAction,
  internalMutation as rawInternalMutation,
  internalQuery as rawInternalQuery,
  mutation as rawMutation,
  query as rawQuery,
  type MutationCtx,
  type QueryCtx,
} from "../_generated/server";
import { appError } from "./errors";
import { hasRole, type Role } from "./roles";
import { DEFAULT_SLOW_QUERY_THRESHOLDS, formatSlowQueryLine, isSlow, newCorrelationId } from "./slowQuery";

export type Access = "anonymous" | Role;

export const ACCESS_TAG = "__consoleAccess";

export type SignedInUser = Doc<"users"> & { role: Role; email: string };

export async function requireRole(ctx: QueryCtx | MutationCtx, required: Role): Promise<SignedInUser> {
  const userId = await getAuthUserId(ctx);
  if (userId === null) {
    throw appError("UNAUTHENTICATED", "Sign in to continue.");
  }
  const user = await ctx.db.get("users", userId);
  if (user === null || user.role === undefined || user.email === undefined) {
    throw appError("UNAUTHENTICATED", "This account no longer exists. Sign in again.");
  }
  if (!hasRole(user.role, required)) {
    throw appError("UNAUTHORIZED", `This needs the ${required} role; you are signed in as ${user.role}.`);
  }
  return user as SignedInUser;
}

function tagged<Builder extends (definition: never) => unknown>(builder: Builder, access: Access): Builder {
  const wrapped = (definition: never) =>
    Object.assign(builder(definition) as object, { [ACCESS_TAG]: access });
  return wrapped as unknown as Builder;
}

function roleQuery(role: Role) {
  return tagged(
    customQuery(
      rawQuery,
      customCtx(async (ctx) => ({ user: await requireRole(ctx, role) })),
    ),
    role,
  );
}

function roleMutation(role: Role) {
  return tagged(
    customMutation(
      rawMutation,
      customCtx(async (ctx) => ({ user: await requireRole(ctx, role) })),
    ),
    role,
  );
}

/** For the few reads a signed-out browser needs (is this deployment still waiting for its first admin?). */
export const anonymousQuery = tagged(
  customQuery(
    rawQuery,
    customCtx(async () => ({})),
  ),
  "anonymous",
);

export const viewerQuery = roleQuery("viewer");
export const operatorQuery = roleQuery("operator");
export const adminQuery = roleQuery("admin");

export const viewerMutation = roleMutation("viewer");
export const operatorMutation = roleMutation("operator");
export const adminMutation = roleMutation("admin");

/**
 * The seeds' instrumentation on top of a role check: a correlation id on ctx, and
 * after a successful call the transaction's exact database calls and documents read (from Convex's
 * own transaction metrics) plus the elapsed time. Crossing a threshold logs the structured
 * "Slow query detected" line, which reaches the console through the log stream. Convex may hold the
 * clock still inside a transaction; the log stream's execution_time_ms is then the real duration.
 */
function instrumentation(role: Role, functionName: string) {
  const module = functionName.split(".")[0] ?? functionName;
  return {
    args: {},
    input: async (ctx: QueryCtx | MutationCtx) => {
      const user = await requireRole(ctx, role);
      const startedAt = performance.now();
      const correlationId = newCorrelationId(Date.now());
      return {
        ctx: { user, correlationId },
        args: {},
        onSuccess: async () => {
          const metrics = await ctx.meta.getTransactionMetrics();
          const call = {
            durationMs: performance.now() - startedAt,
            dbCalls: metrics.databaseQueries.used,
            docsScanned: metrics.documentsRead.used,
          };
          if (isSlow(call, DEFAULT_SLOW_QUERY_THRESHOLDS)) {
            console.warn(formatSlowQueryLine(module, { correlationId, functionName, ...call }));
          }
        },
      };
    },
  };
}

export function instrumentedQuery(role: Role, functionName: string) {
  return tagged(customQuery(rawQuery, instrumentation(role, functionName)), role);
}

export function instrumentedMutation(role: Role, functionName: string) {
  return tagged(customMutation(rawMutation, instrumentation(role, functionName)), role);
}

export const internalQuery = rawInternalQuery;
export const internalMutation = rawInternalMutation;
/** Long work (calls to the connected deployment) runs in internal actions that mutations schedule. */
export const internalAction = rawInternalAction;
