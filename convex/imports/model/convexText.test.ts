import { describe, expect, test } from "vitest";
import { confirmationOf, failureText, importProgressOf, progressSentence } from "./convexText";

// As `info_message_for_import` and `render_table_changes` write it (confirmation.rs, table_change.rs).
const CONVEX_SUMMARY = [
  "Import change summary:",
  "table    | create  | delete           |",
  "---------------------------------------",
  "_storage | 10      | 11 of 11 files   |",
  "messages | 20      | 0 of 0           |",
  "tasks    | 100,000 | 1,500 of 1,500   |",
  "Once the import has started, it will run in the background.",
  "Interrupting `npx convex import` will not cancel it.",
].join("\n");

describe("Convex's import texts in the console's words", () => {
  test("the change summary becomes one sentence per table, with Convex's numbers", () => {
    const { changes, sentences } = confirmationOf(CONVEX_SUMMARY);
    expect(changes).toEqual([
      { table: "_storage", added: 10, deleted: 11, existing: 11, files: true },
      { table: "messages", added: 20, deleted: 0, existing: 0, files: false },
      { table: "tasks", added: 100_000, deleted: 1_500, existing: 1_500, files: false },
    ]);
    expect(sentences).toEqual([
      "File storage: adds 10 files and deletes all its 11 files.",
      "messages: adds 20 rows; it is empty now.",
      "tasks: adds 100,000 rows and deletes all its 1,500 rows.",
      "Once confirmed, the deployment writes the rows in the background: leaving or closing this page does not stop it.",
    ]);
    expect(sentences.join(" ")).not.toMatch(/npx convex|Interrupting|\|/);
  });

  test("an append keeps the existing rows, components prefix their tables, unknown lines stay", () => {
    const { sentences } = confirmationOf(
      [
        "Import change summary:",
        "| table | create | delete |",
        "|-------|--------|--------|",
        "| tasks | 3 | 0 of 5 |",
        "Component waitlist",
        "entries | 1 | 0 of 1 |",
        "Something new Convex says",
      ].join("\n"),
    );
    expect(sentences).toEqual([
      "tasks: adds 3 rows to its 5 rows.",
      "waitlist/entries: adds 1 row to its 1 row.",
      "Something new Convex says",
    ]);
  });

  test("progress: Convex's and the local backend's shapes keep their numbers", () => {
    expect(importProgressOf('Importing "tasks" (4,000 documents)')).toEqual({
      table: "tasks",
      rows: 4000,
      total: null,
    });
    expect(progressSentence('Importing "tasks" (4,000 documents)')).toBe(
      "4,000 rows written to tasks so far.",
    );
    expect(importProgressOf("Importing (4,000 / 150,000 documents)")).toEqual({
      table: null,
      rows: 4000,
      total: 150_000,
    });
    expect(progressSentence("Importing (4,000 / 150,000 documents)")).toBe(
      "4,000 of 150,000 rows written so far.",
    );
    expect(progressSentence('Importing "tasks"')).toBe("Writing the rows of tasks…");
    expect(progressSentence("Importing")).toBe("Writing the rows…");
    expect(progressSentence('Reading "tasks" (12 documents)')).toBe(
      "Checking the rows of tasks: 12 rows so far.",
    );
    expect(importProgressOf("Starting the import…")).toEqual({ table: null, rows: null, total: null });
  });

  test("a failure loses the terminal prefix, not its reason", () => {
    expect(failureText("Hit an error while importing:\nThe local backend stopped during the import.")).toBe(
      "The local backend stopped during the import.",
    );
  });
});
