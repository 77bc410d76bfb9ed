import { AUDIT_ACTIONS, type AuditAction } from "@convex/audit/shared";

export type AuditFilters = {
  actor?: string;
  action?: AuditAction;
};

function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/**
 * The Audit page's URL search params; malformed values are ignored, not rejected. Both keys are
 * always present because the router merges the raw search over what this returns.
 */
export function parseAuditSearch(search: Record<string, unknown>): AuditFilters {
  return {
    actor: typeof search.actor === "string" && search.actor.trim() !== "" ? search.actor.trim() : undefined,
    action: isAuditAction(search.action) ? search.action : undefined,
  };
}
