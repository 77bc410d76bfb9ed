import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { backendWithAdmin } from "../test.helpers";

describe("audit trail", () => {
  test("names a task by its text, not its id, also after it was removed", async () => {
    const { admin } = await backendWithAdmin();
    const kept = await admin.client.mutation(api.tasks.tasks.create, {
      text: "Rotate keys",
      priority: "high",
    });
    const removed = await admin.client.mutation(api.tasks.tasks.create, {
      text: "Old chore",
      priority: "low",
    });
    await admin.client.mutation(api.tasks.tasks.remove, { taskId: removed });
    const { page } = await admin.client.query(api.audit.audit.list, {
      paginationOpts: { numItems: 10, cursor: null },
    });
    const names = page
      .filter((row) => row.action.startsWith("task."))
      .map((row) => [row.action, row.targetName]);
    expect(names).toEqual([
      ["task.removed", "Old chore"],
      ["task.created", "Old chore"],
      ["task.created", "Rotate keys"],
    ]);
    expect(page.every((row) => row.targetName !== kept && row.targetName !== removed)).toBe(true);
  });
});
