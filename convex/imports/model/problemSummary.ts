/**
 * The problems of a whole file, by field: how many rows have each and on which lines it first
 * appears, so a new user learns in one upload that `tasks` needs both `userId` and `createdAt`
 * instead of one field per round. Bounded: a few fields, a few first lines each.
 */
import type { FieldProblem } from "./validate";

export type ProblemSummary = {
  field: string;
  kind: FieldProblem["kind"];
  wants: string;
  rows: number;
  firstLines: number[];
};

export const SUMMARY_FIELDS = 30;
const FIRST_LINES = 3;

export class ProblemTally {
  private readonly byKey = new Map<string, ProblemSummary>();

  add(line: number, problems: readonly FieldProblem[]) {
    for (const problem of problems) {
      const key = `${problem.kind}\u0000${problem.field}`;
      let summary = this.byKey.get(key);
      if (summary === undefined) {
        if (this.byKey.size >= SUMMARY_FIELDS) continue;
        summary = { field: problem.field, kind: problem.kind, wants: problem.wants, rows: 0, firstLines: [] };
        this.byKey.set(key, summary);
      }
      summary.rows++;
      if (summary.firstLines.length < FIRST_LINES) summary.firstLines.push(line);
    }
  }

  /** Missing fields first, then wrong types, then unknown fields; the commonest first within each. */
  summaries(): ProblemSummary[] {
    const order = { missing: 0, type: 1, unknown: 2 };
    return [...this.byKey.values()].sort((a, b) => order[a.kind] - order[b.kind] || b.rows - a.rows);
  }
}

const rowsText = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "row" : "rows"}`;

/** "`userId` is missing in 1,200 rows (first on lines 2, 3, 4); the table requires an id of users." */
export function problemSentence(summary: ProblemSummary): string {
  const lines = `${summary.firstLines.length === 1 ? "line" : "lines"} ${summary.firstLines
    .map((line) => line.toLocaleString("en-US"))
    .join(", ")}`;
  const where = `in ${rowsText(summary.rows)} (first on ${lines})`;
  const name = summary.field === "" ? "The row" : `\`${summary.field}\``;
  switch (summary.kind) {
    case "missing":
      return `${name} is missing ${where}; the table requires ${summary.wants}.`;
    case "type":
      return `${name} has the wrong type ${where}; the table wants ${summary.wants}.`;
    case "unknown":
      return `${name} is not in the table's schema ${where}.`;
  }
}
