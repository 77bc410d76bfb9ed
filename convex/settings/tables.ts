import { defineTable } from "convex/server";
import { v } from "convex/values";

/** One row: the console's own settings. Absent means every default applies. */
export const settingsTables = {
  consoleSettings: defineTable({
    slowDurationMs: v.number(),
    slowDbCalls: v.number(),
    slowDocsScanned: v.number(),
    rawRetentionHours: v.number(),
    replayWindowMinutes: v.number(),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }),

  /** One row: the team's time zone for days, months, runbook periods and backup slots. Absent means UTC. */
  teamTimeZone: defineTable({
    timeZone: v.string(),
    updatedAt: v.number(),
    updatedBy: v.string(),
  }),
};
