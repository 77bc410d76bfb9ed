import { ConvexError } from "convex/values";
import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { newBackend, teamOfThree, type Backend } from "../test.helpers";
import { LOG_LIMITS } from "./shared";

async function team() {
  const t = await newBackend();
  const { operator, viewer } = await teamOfThree(t);
  return { t, operator: operator.client, viewer: viewer.client };
}

const codeOf = (error: unknown) =>
  error instanceof ConvexError ? (error.data as { code: string }).code : String(error);
const audited = (t: Backend) =>
  t.run(async (ctx) =>
    (await ctx.db.query("audit").collect())
      .filter((row) => row.action.startsWith("logs."))
      .map(({ action, actorEmail, target }) => ({ action, actorEmail, target })),
  );

describe("saved searches", { timeout: 60_000 }, () => {
  test("an operator's saved search is the whole team's, opened by its id, and its saving and deleting are audited", async () => {
    const { t, operator, viewer } = await team();
    const id = await operator.mutation(api.logs.savedSearches.save, {
      name: "  Slow   queries ",
      query: ' message:"Slow query detected" ',
    });
    expect(await viewer.query(api.logs.savedSearches.list, {})).toMatchObject([
      {
        _id: id,
        name: "Slow queries",
        query: 'message:"Slow query detected"',
        savedBy: "operator@example.com",
      },
    ]);
    expect(await viewer.query(api.logs.savedSearches.get, { id })).toMatchObject({
      query: 'message:"Slow query detected"',
    });
    // Saving under the same name replaces the query; the link (its id) keeps working.
    expect(
      await operator.mutation(api.logs.savedSearches.save, { name: "Slow queries", query: "dbCalls:>50" }),
    ).toBe(id);
    expect(await viewer.query(api.logs.savedSearches.get, { id })).toMatchObject({ query: "dbCalls:>50" });
    await operator.mutation(api.logs.savedSearches.remove, { id });
    expect(await viewer.query(api.logs.savedSearches.list, {})).toEqual([]);
    expect(await viewer.query(api.logs.savedSearches.get, { id })).toBeNull();
    expect(await viewer.query(api.logs.savedSearches.get, { id: "garbage" })).toBeNull();
    expect(await audited(t)).toEqual([
      { action: "logs.search_saved", actorEmail: "operator@example.com", target: "Slow queries" },
      { action: "logs.search_saved", actorEmail: "operator@example.com", target: "Slow queries" },
      { action: "logs.search_deleted", actorEmail: "operator@example.com", target: "Slow queries" },
    ]);
  });

  test("a viewer can neither save nor delete one, and nothing is written", async () => {
    const { t, operator, viewer } = await team();
    const id = await operator.mutation(api.logs.savedSearches.save, { name: "Errors", query: "level:error" });
    const attempts = [
      viewer.mutation(api.logs.savedSearches.save, { name: "Mine", query: "level:warn" }),
      viewer.mutation(api.logs.savedSearches.save, { name: "Errors", query: "level:info" }),
      viewer.mutation(api.logs.savedSearches.remove, { id }),
    ];
    for (const attempt of attempts)
      expect(codeOf(await attempt.catch((error: unknown) => error))).toBe("UNAUTHORIZED");
    expect(await viewer.query(api.logs.savedSearches.list, {})).toMatchObject([
      { name: "Errors", query: "level:error" },
    ]);
    expect((await audited(t)).length).toBe(1);
  });

  test("an over-long or empty name, an over-long query and one that does not parse are refused", async () => {
    const { t, operator } = await team();
    const refused = async (name: string, query: string) =>
      await operator.mutation(api.logs.savedSearches.save, { name, query }).then(
        () => "saved",
        (error: unknown) => codeOf(error),
      );
    expect(await refused("x".repeat(LOG_LIMITS.savedNameLength + 1), "level:error")).toBe("VALIDATION_ERROR");
    expect(await refused("   ", "level:error")).toBe("VALIDATION_ERROR");
    expect(await refused("long", `message:"${"a".repeat(LOG_LIMITS.queryLength)}"`)).toBe("VALIDATION_ERROR");
    expect(await refused("broken", "level:error AND (")).toBe("VALIDATION_ERROR");
    expect(await refused("x".repeat(LOG_LIMITS.savedNameLength), "level:error")).toBe("saved");
    expect(await t.run(async (ctx) => (await ctx.db.query("logSavedSearches").collect()).length)).toBe(1);
  });

  test("the team keeps at most the limit; one more is refused until one is deleted", async () => {
    const { t, operator } = await team();
    await t.run(async (ctx) => {
      for (let i = 0; i < LOG_LIMITS.savedSearches; i++) {
        await ctx.db.insert("logSavedSearches", {
          name: `s${i}`,
          query: "level:error",
          savedBy: "a",
          savedAt: 0,
        });
      }
    });
    const more = await operator
      .mutation(api.logs.savedSearches.save, { name: "one more", query: "x" })
      .catch((e: unknown) => e);
    expect(codeOf(more)).toBe("CONFLICT");
    // Replacing an existing one is still allowed at the limit.
    await operator.mutation(api.logs.savedSearches.save, { name: "s0", query: "level:warn" });
    expect(await operator.query(api.logs.savedSearches.list, {})).toHaveLength(LOG_LIMITS.savedSearches);
  });
});
