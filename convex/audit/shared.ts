import { v, type VLiteral } from "convex/values";

/** Every kind of audited admin action. Adding an action here makes it storable and filterable. */
export const AUDIT_ACTIONS = [
  "user.bootstrap_admin",
  "user.signed_up",
  "user.role_changed",
  "user.removed",
  "user.lock_cleared",
  "invite.created",
  "invite.revoked",
  "logstream.secret_set",
  "settings.updated",
  "task.created",
  "task.completed",
  "task.reopened",
  "task.removed",
  "task.priority_changed",
  "runbook.templates_seeded",
  "runbook.template_edited",
  "runbook.timezone_changed",
  "runbook.run_started",
  "runbook.run_closed",
  "runbook.item_ticked",
  "runbook.item_unticked",
  "deployment.connection_set",
  "deployment.disconnected",
  "deployment.connection_tested",
  "backup.requested",
  "backup.canceled",
  "backup.verify_requested",
  "backup.pinned",
  "backup.unpinned",
  "backup.deleted",
  "backup.download_link",
  "backup.settings_changed",
  "backup.retention_swept",
  "backup.finished",
  "backup.stalled",
  "backup.export_expired",
  "restore.requested",
  "restore.awaiting_confirmation",
  "restore.import_confirmed",
  "restore.import_canceled",
  "restore.stalled",
  "restore.finished",
  "usage.plan_changed",
  "usage.convex_figures_requested",
  "import.started",
  "import.uploaded",
  "import.submitted",
  "import.confirmed",
  "import.canceled",
  "import.sent_again",
  "import.finished",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

type ActionLiteral = VLiteral<AuditAction, "required">;

export const auditActionValidator = v.union(
  ...(AUDIT_ACTIONS.map((action) => v.literal(action)) as [ActionLiteral, ActionLiteral, ...ActionLiteral[]]),
);
