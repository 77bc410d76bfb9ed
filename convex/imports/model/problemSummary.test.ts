import { describe, expect, test } from "vitest";
import schema from "../../schema";
import { previewImport } from "./preview";
import { problemSentence } from "./problemSummary";
import { expectedColumns, validatorJson } from "./validate";

const tasks = validatorJson(schema.tables.tasks.validator);

async function* chunks(text: string) {
  yield new TextEncoder().encode(text);
}

describe("every problem of a file at once", () => {
  test("a tasks file without userId and createdAt says both, with counts and first lines, in one upload", async () => {
    const lines = [
      JSON.stringify({ text: "a", completed: false, priority: "low" }),
      JSON.stringify({ text: "b", completed: false, priority: "urgent" }),
      JSON.stringify({ text: "c", completed: false, priority: "low" }),
    ].join("\n");
    const preview = await previewImport(chunks(lines), { format: "jsonLines", tableValidator: tasks });
    expect(preview.validRows).toBe(0);
    expect(preview.invalidLines[0]!.reason).toBe(
      "Field `userId` is missing; the table requires it. Field `createdAt` is missing; the table requires it.",
    );
    expect(preview.problems.map(problemSentence)).toEqual([
      "`userId` is missing in 3 rows (first on lines 1, 2, 3); the table requires an id of users.",
      "`createdAt` is missing in 3 rows (first on lines 1, 2, 3); the table requires a number.",
      '`priority` has the wrong type in 1 row (first on line 2); the table wants "low" or "medium" or "high".',
    ]);
  });

  test("a CSV typed by the schema names every cell it cannot type", async () => {
    const csv = "text,completed,userId,priority,createdAt\nx,maybe,u1,low,soon\ny,true,u1,low,1\n";
    const preview = await previewImport(chunks(csv), { format: "csv", tableValidator: tasks });
    const typed = preview.typedBySchema!;
    expect(typed.invalidLines).toEqual([
      {
        line: 2,
        reason:
          'Column `completed`: "maybe" is not a boolean (write true or false). Column `createdAt`: "soon" is not a number.',
      },
    ]);
    expect(typed.problems.map((problem) => [problem.field, problem.rows, problem.firstLines])).toEqual([
      ["completed", 1, [2]],
      ["createdAt", 1, [2]],
    ]);
  });

  test("the columns a table expects, with their types", () => {
    expect(expectedColumns(tasks).slice(0, 5)).toEqual([
      { name: "text", type: "a string", optional: false },
      { name: "completed", type: "a boolean", optional: false },
      { name: "userId", type: "an id of users", optional: false },
      { name: "priority", type: '"low" or "medium" or "high"', optional: false },
      { name: "createdAt", type: "a number", optional: false },
    ]);
  });
});
