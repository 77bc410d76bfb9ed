import type { Role } from "@convex/lib/shared";

export type NavItem = {
  to:
    | "/"
    | "/slow-queries"
    | "/errors"
    | "/logs"
    | "/usage"
    | "/deploys"
    | "/runbooks"
    | "/backups"
    | "/imports"
    | "/tasks"
    | "/alerts"
    | "/audit"
    | "/settings"
    | "/users";
  label: string;
  /** Hidden from roles below this one; the page itself still refuses them in place. */
  requires?: Role;
};

export const NAV_ITEMS: readonly NavItem[] = [
  { to: "/", label: "Overview" },
  { to: "/slow-queries", label: "Slow queries" },
  { to: "/errors", label: "Errors" },
  { to: "/logs", label: "Logs" },
  { to: "/deploys", label: "Deploys" },
  { to: "/usage", label: "Usage" },
  { to: "/runbooks", label: "Runbooks" },
  { to: "/backups", label: "Backups" },
  { to: "/imports", label: "Imports" },
  { to: "/tasks", label: "Tasks" },
  { to: "/alerts", label: "Alerts" },
  { to: "/audit", label: "Audit" },
  { to: "/settings", label: "Settings" },
  { to: "/users", label: "Users", requires: "admin" },
];
