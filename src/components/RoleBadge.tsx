import type { Role } from "@convex/lib/shared";

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge badge-role-${role}`}>{role}</span>;
}
