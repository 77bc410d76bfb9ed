import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { backendWithTeam, type Backend } from "../test.helpers";

async function seed(t: Backend, owners: Record<string, Id<"users">>) {
  const rows: [string, string, boolean, "low" | "medium" | "high"][] = [
    ["operator", "Rotate deploy keys", false, "high"],
    ["operator", "Check backups", true, "low"],
    ["admin", "Review invites", false, "medium"],
    ["admin", "Rotate webhook secret", false, "high"],
    ["viewer", "Read the runbook", true, "high"],
  ];
  return await t.run(async (ctx) => {
    const ids = [];
    for (const [index, [owner, text, completed, priority]] of rows.entries()) {
      ids.push(
        await ctx.db.insert("tasks", { text, completed, priority, userId: owners[owner]!, createdAt: index }),
      );
    }
    return ids;
  });
}

async function setup() {
  const { t, team } = await backendWithTeam();
  const ids = await seed(t, {
    operator: team.operator.userId,
    admin: team.admin.userId,
    viewer: team.viewer.userId,
  });
  return { t, team, ids };
}

const page = { numItems: 10, cursor: null };

describe("tasks across all users", () => {
  test("lists newest first with owners; each filter, alone and combined, and text search", async () => {
    const { team } = await setup();
    const list = (args: object) =>
      team.viewer.client
        .query(api.tasks.admin.list, { paginationOpts: page, ...args })
        .then((result) => result.page.map((task) => `${task.text} (${task.owner})`));
    expect(await list({})).toEqual([
      "Read the runbook (viewer@example.com)",
      "Rotate webhook secret (admin@example.com)",
      "Review invites (admin@example.com)",
      "Check backups (operator@example.com)",
      "Rotate deploy keys (operator@example.com)",
    ]);
    expect(await list({ state: "open", priority: "high" })).toEqual([
      "Rotate webhook secret (admin@example.com)",
      "Rotate deploy keys (operator@example.com)",
    ]);
    expect(await list({ owner: "Admin@example.com", state: "open", order: "oldest" })).toEqual([
      "Review invites (admin@example.com)",
      "Rotate webhook secret (admin@example.com)",
    ]);
    expect(await list({ owner: "nobody@example.com" })).toEqual([]);
    expect(
      await list({ text: "rotate", priority: "high", state: "open", owner: "operator@example.com" }),
    ).toEqual(["Rotate deploy keys (operator@example.com)"]);
  });

  test("pages follow the cursor without repeating a task", async () => {
    const { team } = await setup();
    const first = await team.viewer.client.query(api.tasks.admin.list, {
      paginationOpts: { numItems: 2, cursor: null },
    });
    const second = await team.viewer.client.query(api.tasks.admin.list, {
      paginationOpts: { numItems: 2, cursor: first.continueCursor },
    });
    expect(first.page).toHaveLength(2);
    expect(second.page.map((task) => task._id)).not.toContain(first.page[0]!._id);
    expect(await team.viewer.client.query(api.tasks.admin.counts, {})).toEqual({
      open: 3,
      done: 2,
      cap: 1000,
    });
    expect(await team.viewer.client.query(api.tasks.admin.counts, { priority: "high" })).toEqual({
      open: 2,
      done: 1,
      cap: 1000,
    });
  });
});

describe("operator actions", () => {
  test("complete two in bulk, reopen one, change priority: only real changes, each audited per task", async () => {
    const { team, ids } = await setup();
    const [deployKeys, checkBackups, invites] = ids as [Id<"tasks">, Id<"tasks">, Id<"tasks">];
    expect(
      await team.operator.client.mutation(api.tasks.admin.setCompleted, {
        taskIds: [deployKeys, checkBackups, invites],
        completed: true,
      }),
    ).toBe(2);
    expect(
      await team.operator.client.mutation(api.tasks.admin.setCompleted, {
        taskIds: [invites],
        completed: false,
      }),
    ).toBe(1);
    expect(
      await team.operator.client.mutation(api.tasks.admin.setPriority, {
        taskIds: [invites],
        priority: "low",
      }),
    ).toBe(1);
    const audit = await team.viewer.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(audit.page.slice(0, 4).map((row) => [row.action, row.target, row.details?.bulk ?? null])).toEqual([
      ["task.priority_changed", invites, false],
      ["task.reopened", invites, false],
      ["task.completed", invites, true],
      ["task.completed", deployKeys, true],
    ]);
  });

  test("deleting several needs the count typed; a wrong phrase deletes nothing", async () => {
    const { t, team, ids } = await setup();
    const two = [ids[0]!, ids[1]!];
    await expect(
      team.operator.client.mutation(api.tasks.admin.remove, { taskIds: two, confirmation: "delete tasks" }),
    ).rejects.toThrow(/Type .*delete 2 tasks.* to confirm/);
    expect(await t.run(async (ctx) => (await ctx.db.query("tasks").collect()).length)).toBe(5);
    expect(
      await team.operator.client.mutation(api.tasks.admin.remove, {
        taskIds: two,
        confirmation: "delete 2 tasks",
      }),
    ).toBe(2);
    expect(await team.operator.client.mutation(api.tasks.admin.remove, { taskIds: [ids[2]!] })).toBe(1);
    expect(await t.run(async (ctx) => (await ctx.db.query("tasks").collect()).length)).toBe(2);
  });

  test("a viewer calling the bulk actions is refused and nothing changes", async () => {
    const { t, team, ids } = await setup();
    await expect(
      team.viewer.client.mutation(api.tasks.admin.remove, { taskIds: ids, confirmation: "delete 5 tasks" }),
    ).rejects.toThrow(/needs the operator role/);
    await expect(
      team.viewer.client.mutation(api.tasks.admin.setCompleted, { taskIds: ids, completed: true }),
    ).rejects.toThrow(/needs the operator role/);
    expect(
      await t.run(
        async (ctx) => (await ctx.db.query("tasks").collect()).filter((task) => task.completed).length,
      ),
    ).toBe(2);
  });

  test("an empty or oversized batch is a validation error", async () => {
    const { team } = await setup();
    await expect(
      team.operator.client.mutation(api.tasks.admin.setCompleted, { taskIds: [], completed: true }),
    ).rejects.toThrow(/Choose 1 to 100 tasks/);
  });
});
