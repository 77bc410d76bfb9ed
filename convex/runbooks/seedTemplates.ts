/**
 * The templates a fresh console starts with, from the production runbook (seed 003) and the
 * production and debug checklists of seeds 000 and 002. Seeded once per slug; admins edit them after.
 */
import type { EvidenceSource, RunbookCadence } from "./tables";

type SeedItem = { key: string; text: string; help?: string; link?: string; evidence?: EvidenceSource };

type SeedTemplate = {
  slug: string;
  title: string;
  description: string;
  cadence: RunbookCadence;
  order: number;
  items: SeedItem[];
};

const CONVEX_DASHBOARD = "https://dashboard.convex.dev";

function section(name: string, keyPrefix: string, texts: string[]): SeedItem[] {
  return texts.map((text, index) => ({ key: `${keyPrefix}-${index + 1}`, text, help: name }));
}

export const SEED_TEMPLATES: SeedTemplate[] = [
  {
    slug: "daily-maintenance",
    title: "Daily maintenance",
    description: "The runbook's daily tasks.",
    cadence: "daily",
    order: 10,
    items: [
      {
        key: "check-error-rates",
        text: "Check error rates in Sentry",
        help: "The console's error rate for the last hour is shown beside this item.",
        evidence: "error_rate",
      },
      { key: "review-logs", text: "Review application logs", evidence: "log_stream" },
      { key: "monitor-performance", text: "Monitor performance metrics", evidence: "p95_latency" },
      { key: "check-dashboard", text: "Check Convex dashboard", link: CONVEX_DASHBOARD },
    ],
  },
  {
    slug: "monitoring",
    title: "Monitoring checklist",
    description: "Application health, database, security and performance, once a day.",
    cadence: "daily",
    order: 15,
    items: [
      { key: "health-endpoint", text: "Health endpoint responding", help: "Application health" },
      {
        key: "response-times",
        text: "Response times acceptable",
        help: "Application health",
        evidence: "p95_latency",
      },
      {
        key: "error-rates-normal",
        text: "Error rates normal",
        help: "Application health",
        evidence: "error_rate",
      },
      { key: "uptime", text: "Uptime > 99.9%", help: "Application health" },
      {
        key: "convex-connection",
        text: "Convex connection stable",
        help: "Database",
        evidence: "log_stream",
      },
      { key: "query-performance", text: "Query performance acceptable", help: "Database" },
      { key: "no-corruption", text: "No data corruption", help: "Database" },
      {
        key: "backups-successful",
        text: "Backups successful",
        help: "Database",
        evidence: "backup_verification",
      },
      { key: "no-unauthorized", text: "No unauthorized access", help: "Security" },
      { key: "no-security-alerts", text: "No security alerts", help: "Security" },
      { key: "ssl-valid", text: "SSL certificate valid", help: "Security" },
      { key: "security-headers", text: "Security headers present", help: "Security" },
      { key: "page-load", text: "Page load times acceptable", help: "Performance" },
      { key: "api-response", text: "API response times acceptable", help: "Performance" },
      { key: "resource-usage", text: "Resource usage normal", help: "Performance" },
      { key: "memory-leaks", text: "No memory leaks", help: "Performance" },
    ],
  },
  {
    slug: "weekly-maintenance",
    title: "Weekly maintenance",
    description: "The runbook's weekly tasks.",
    cadence: "weekly",
    order: 20,
    items: [
      {
        key: "security-logs",
        text: "Review security logs",
        help: "The Audit page lists every admin action.",
      },
      { key: "dependency-updates-check", text: "Check for dependency updates" },
      { key: "performance-trends", text: "Review performance trends", evidence: "p95_latency" },
      { key: "backup-verification", text: "Backup verification", evidence: "backup_verification" },
    ],
  },
  {
    slug: "monthly-maintenance",
    title: "Monthly maintenance",
    description: "The runbook's monthly tasks.",
    cadence: "monthly",
    order: 30,
    items: [
      { key: "security-audit", text: "Security audit" },
      { key: "performance-review", text: "Performance optimization review" },
      { key: "dependency-updates", text: "Dependency updates" },
      { key: "documentation-updates", text: "Documentation updates" },
    ],
  },
  {
    slug: "quarterly-maintenance",
    title: "Quarterly maintenance",
    description: "The runbook's quarterly tasks.",
    cadence: "quarterly",
    order: 40,
    items: [
      { key: "full-security-review", text: "Full security review" },
      { key: "performance-optimization", text: "Performance optimization" },
      {
        key: "dr-drill",
        text: "Disaster recovery drill",
        help: "Restore a backup into a scratch deployment.",
      },
      {
        key: "capacity-planning",
        text: "Capacity planning",
        help: "Compare usage against the plan limits.",
        evidence: "usage_forecast",
      },
    ],
  },
  {
    slug: "complete-outage",
    title: "Complete service outage",
    description: "Emergency procedure: the application is down.",
    cadence: "on_demand",
    order: 100,
    items: [
      { key: "health-endpoint", text: "Check the health endpoint: /api/health", help: "Check status" },
      { key: "platform-status", text: "Check the platform status page", help: "Check status" },
      {
        key: "convex-status",
        text: "Check Convex status",
        help: "Check status",
        link: "https://status.convex.dev",
        evidence: "log_stream",
      },
      { key: "rollback", text: "Roll back if there was a recent deployment", help: "Rollback" },
      { key: "notify", text: "Send an incident notification to stakeholders", help: "Notify stakeholders" },
      { key: "status-page", text: "Update the status page if available", help: "Notify stakeholders" },
      { key: "check-logs", text: "Check all logs", help: "Investigate", evidence: "error_rate" },
      { key: "recent-changes", text: "Review recent changes", help: "Investigate" },
      { key: "basic-functionality", text: "Test basic functionality", help: "Investigate" },
    ],
  },
  {
    slug: "data-loss",
    title: "Data loss",
    description: "Emergency procedure: data was lost or corrupted.",
    cadence: "on_demand",
    order: 110,
    items: [
      {
        key: "stop-operations",
        text: "Stop all operations to prevent further data loss",
        help: "Stop all operations",
      },
      { key: "document-state", text: "Document the current state", help: "Stop all operations" },
      { key: "what-lost", text: "Assess what data was lost", help: "Assess damage" },
      { key: "when-lost", text: "Find when it occurred", help: "Assess damage" },
      { key: "recoverable", text: "Decide whether it can be recovered", help: "Assess damage" },
      {
        key: "check-backups",
        text: "Check Convex backups",
        help: "Recovery",
        evidence: "backup_verification",
      },
      { key: "restore", text: "Restore from backup if available", help: "Recovery" },
      { key: "document-recovery", text: "Document the recovery process", help: "Recovery" },
      { key: "review-cause", text: "Review what caused the data loss", help: "Prevention" },
      { key: "safeguards", text: "Implement safeguards", help: "Prevention" },
      { key: "update-procedures", text: "Update procedures", help: "Prevention" },
    ],
  },
  {
    slug: "security-incident",
    title: "Security incident",
    description: "Emergency procedure: contain, assess, remediate, notify.",
    cadence: "on_demand",
    order: 120,
    items: [
      { key: "disable-accounts", text: "Disable affected accounts", help: "Contain threat" },
      { key: "revoke-secrets", text: "Revoke compromised secrets", help: "Contain threat" },
      { key: "isolate", text: "Isolate affected systems", help: "Contain threat" },
      { key: "what-accessed", text: "Assess what was accessed", help: "Assess damage" },
      { key: "what-exposed", text: "Assess what data was exposed", help: "Assess damage" },
      { key: "when", text: "Find when it occurred", help: "Assess damage" },
      { key: "rotate-secrets", text: "Rotate all secrets", help: "Remediate" },
      { key: "patch", text: "Patch vulnerabilities", help: "Remediate" },
      { key: "update-measures", text: "Update security measures", help: "Remediate" },
      { key: "notify-team", text: "Notify the internal team", help: "Notify" },
      { key: "notify-users", text: "Notify affected users (if required)", help: "Notify" },
      { key: "notify-authorities", text: "Notify authorities (if required by law)", help: "Notify" },
    ],
  },
  {
    slug: "production-launch",
    title: "Production checklist",
    description: "Before launching (Convex operations guide).",
    cadence: "on_demand",
    order: 130,
    items: section("Before launching", "launch", [
      "Set all required environment variables",
      "Configure log streaming (Axiom/Datadog/Logtail)",
      "Set up Sentry error monitoring",
      "Add indexes for common queries",
      "Test schema migrations locally",
      "Configure CI/CD deployment",
      "Set up monitoring alerts",
      "Document rollback procedure",
      "Load test critical functions",
      "Review security configuration",
      "Test error handling paths",
      "Verify CORS configuration",
    ]),
  },
  {
    slug: "debug-checklist",
    title: "Debug checklist",
    description: "When something misbehaves (Convex operations guide).",
    cadence: "on_demand",
    order: 140,
    items: section("Debug", "debug", [
      "Check correlation ID in logs",
      "Verify environment variables set",
      "Test locally with `npx convex dev`",
      "Check schema matches data",
      "Review recent deployments",
      "Check Sentry for related errors",
      "Monitor database storage limits",
      "Verify indexes exist for queries",
    ]),
  },
  {
    slug: "deployment-checklist",
    title: "Deployment checklist (Convex + Cloudflare Pages)",
    description: "Deploying to production (self-hosting production guide).",
    cadence: "on_demand",
    order: 150,
    items: [
      ...section("Convex production deployment", "deploy", [
        "Deployed to production: npx convex deploy --prod",
        "Verified production deployment URL",
        "Set all production environment variables: npx convex env set VARIABLE_NAME value --prod",
        "Configured authentication provider",
        "Ran schema migrations (automatic on deploy)",
        "Tested production database connection",
        "Imported any necessary seed data: npx convex import --prod",
      ]),
      ...section("Pages setup", "pages", [
        "Configured build command and output directory",
        "Set environment variable: production Convex URL",
        "Verified build succeeds on Cloudflare",
      ]),
      ...section("Security verification", "security", [
        "All secrets in environment variables (never in code)",
        "API keys use production values (not test keys)",
        "CORS configured if using HTTP actions",
        "Authentication required on all sensitive queries/mutations",
        "Authorization checks in function code",
        "Rate limiting considered for public endpoints",
        "Input validation on all mutation arguments",
        "No sensitive data in client-side code",
      ]),
      ...section("Production verification", "verify", [
        "Tested end-to-end user flows in production",
        "Verified real-time updates working (WebSocket connection)",
        "Checked Convex dashboard for errors",
        "Confirmed all queries using proper indexes",
        "Tested authentication flow (login/logout/protected routes)",
        "Tested webhooks (if using HTTP actions)",
        "Configured monitoring alerts",
        "Documented deployment process",
      ]),
      ...section("Environment consistency", "env", [
        "Each environment uses its own Convex deployment",
        "Each environment has separate environment variables",
        "Preview deployments use the dev Convex URL",
        "Production branch triggers production deployment",
      ]),
    ],
  },
];
