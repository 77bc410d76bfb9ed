import { v, type Infer } from "convex/values";

/** Ordered from least to most privileged: each role can do everything the ones before it can. */
export const ROLES = ["viewer", "operator", "admin"] as const;

export const roleValidator = v.union(v.literal("viewer"), v.literal("operator"), v.literal("admin"));

export type Role = Infer<typeof roleValidator>;

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function hasRole(actual: Role, required: Role): boolean {
  return roleRank(actual) >= roleRank(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
