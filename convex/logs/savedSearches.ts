/**
 * The team's saved searches: operators and admins save and delete them, everyone signed in opens
 * them. Each is a name and a query in the seeds' language; the Logs page opens one by its id in
 * the URL, so a link to it keeps working after its query is edited.
 */
import { v } from "convex/values";
import { recordAudit } from "../lib/audit";
import { appError } from "../lib/errors";
import { operatorMutation, viewerQuery } from "../lib/functions";
import { parseQuery, QueryError } from "./model/query";
import { LOG_LIMITS } from "./shared";

/** Every saved search, by name. */
export const list = viewerQuery({
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db.query("logSavedSearches").withIndex("by_name").take(LOG_LIMITS.savedSearches);
    return rows.map(({ _id, name, query, savedBy, savedAt }) => ({ _id, name, query, savedBy, savedAt }));
  },
});

/** One saved search, or null when it was deleted (or the id is not one). */
export const get = viewerQuery({
  args: { id: v.string() },
  handler: async (ctx, { id }) => {
    const savedId = ctx.db.normalizeId("logSavedSearches", id);
    const row = savedId === null ? null : await ctx.db.get("logSavedSearches", savedId);
    return row === null ? null : { _id: row._id, name: row.name, query: row.query };
  },
});

function checkedName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name === "" || name.length > LOG_LIMITS.savedNameLength) {
    throw appError(
      "VALIDATION_ERROR",
      `Give the search a name of 1 to ${LOG_LIMITS.savedNameLength} characters.`,
    );
  }
  return name;
}

function checkedQuery(raw: string): string {
  const query = raw.trim();
  if (query === "" || query.length > LOG_LIMITS.queryLength) {
    throw appError("VALIDATION_ERROR", `A saved query has 1 to ${LOG_LIMITS.queryLength} characters.`);
  }
  try {
    parseQuery(query, Date.now());
  } catch (error) {
    if (error instanceof QueryError)
      throw appError("VALIDATION_ERROR", `Column ${error.column}: ${error.message}`);
    throw error;
  }
  return query;
}

/** Saves a query under a name; saving under a name the team already uses replaces that query. */
export const save = operatorMutation({
  args: { name: v.string(), query: v.string() },
  handler: async (ctx, args) => {
    const name = checkedName(args.name);
    const query = checkedQuery(args.query);
    const existing = await ctx.db
      .query("logSavedSearches")
      .withIndex("by_name", (q) => q.eq("name", name))
      .unique();
    const row = { name, query, savedBy: ctx.user.email, savedAt: Date.now() };
    let id = existing?._id;
    if (id !== undefined) await ctx.db.replace("logSavedSearches", id, row);
    else {
      const count = (await ctx.db.query("logSavedSearches").take(LOG_LIMITS.savedSearches)).length;
      if (count >= LOG_LIMITS.savedSearches) {
        throw appError(
          "CONFLICT",
          `The team has ${LOG_LIMITS.savedSearches} saved searches, the most it may keep: delete one first.`,
        );
      }
      id = await ctx.db.insert("logSavedSearches", row);
    }
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "logs.search_saved",
      target: name,
      details: { query, replaced: existing !== null },
    });
    return id;
  },
});

export const remove = operatorMutation({
  args: { id: v.id("logSavedSearches") },
  handler: async (ctx, { id }) => {
    const row = await ctx.db.get("logSavedSearches", id);
    if (row === null) throw appError("NOT_FOUND", "That saved search was already deleted.");
    await ctx.db.delete("logSavedSearches", id);
    await recordAudit(ctx, {
      actor: ctx.user,
      action: "logs.search_deleted",
      target: row.name,
      details: { query: row.query },
    });
  },
});
