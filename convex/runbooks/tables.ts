import { defineTable } from "convex/server";
import { v, type Infer } from "convex/values";

const cadenceValidator = v.union(
  v.literal("daily"),
  v.literal("weekly"),
  v.literal("monthly"),
  v.literal("quarterly"),
  v.literal("on_demand"),
);

/** Checks over data the console holds, shown beside an item; the operator still ticks. */
export const evidenceValidator = v.union(
  v.literal("error_rate"),
  v.literal("p95_latency"),
  v.literal("log_stream"),
  v.literal("backup_verification"),
  v.literal("usage_forecast"),
);

const itemValidator = v.object({
  /** Stable across versions, so history can say which item a tick was for after a reword. */
  key: v.string(),
  text: v.string(),
  help: v.optional(v.string()),
  link: v.optional(v.string()),
  evidence: v.optional(evidenceValidator),
});

export type TemplateItem = Infer<typeof itemValidator>;
export type EvidenceSource = Infer<typeof evidenceValidator>;
export type RunbookCadence = Infer<typeof cadenceValidator>;

const tickEvent = v.object({
  action: v.union(v.literal("ticked"), v.literal("unticked")),
  byId: v.id("users"),
  byEmail: v.string(),
  at: v.number(),
  note: v.optional(v.string()),
  evidenceUrl: v.optional(v.string()),
});

/** Runbook checklists: templates with versions, one run per period, one tick document per item. */
export const runbookTables = {
  runbookTemplates: defineTable({
    /** Stable name the seed uses to find its own templates, e.g. "daily-maintenance". */
    slug: v.string(),
    title: v.string(),
    description: v.string(),
    cadence: cadenceValidator,
    order: v.number(),
    /** The version new runs start with; find it by (templateId, version). */
    currentVersion: v.number(),
  })
    .index("by_slug", ["slug"])
    .index("by_order", ["order"]),

  /** Never edited: an edit writes the next version, and runs keep pointing at theirs. */
  runbookTemplateVersions: defineTable({
    templateId: v.id("runbookTemplates"),
    version: v.number(),
    title: v.string(),
    items: v.array(itemValidator),
    createdAt: v.number(),
    createdBy: v.string(),
  }).index("by_template_version", ["templateId", "version"]),

  runbookRuns: defineTable({
    templateId: v.id("runbookTemplates"),
    versionId: v.id("runbookTemplateVersions"),
    cadence: cadenceValidator,
    /** `2026-11-22`, `2026-W47`, `2026-11`, `2026-Q4`; on-demand runs use `started-<ms>`. */
    periodKey: v.string(),
    periodStart: v.number(),
    /** Null for on-demand runs: they end when someone closes them. */
    periodEnd: v.union(v.number(), v.null()),
    timeZone: v.string(),
    /** The incident's name for on-demand runs; the period for recurring ones. */
    title: v.string(),
    status: v.union(v.literal("open"), v.literal("closed")),
    itemCount: v.number(),
    startedAt: v.number(),
    startedBy: v.string(),
    closedAt: v.optional(v.number()),
    closedBy: v.optional(v.string()),
  })
    .index("by_template_period", ["templateId", "periodKey"])
    .index("by_template_start", ["templateId", "periodStart"])
    .index("by_cadence_status", ["cadence", "status", "periodStart"]),

  /** One document per (run, item): operators ticking different items never write the same document. */
  runbookTicks: defineTable({
    runId: v.id("runbookRuns"),
    itemKey: v.string(),
    ticked: v.boolean(),
    /** The latest tick or untick. */
    byEmail: v.string(),
    at: v.number(),
    note: v.optional(v.string()),
    evidenceUrl: v.optional(v.string()),
    /** Every tick and untick, oldest first, so an untick never erases who ticked before. */
    history: v.array(tickEvent),
  }).index("by_run_item", ["runId", "itemKey"]),
};
