/**
 * Convex's import texts, said in the console's words. Convex writes its change summary and progress
 * for the terminal of `npx convex import` (an ASCII table, "Interrupting `npx convex import` will
 * not cancel it"); the page shows what they mean, with the real numbers kept. The shapes are those
 * of `crates/application/src/snapshot_import/{confirmation,table_change,mod}.rs` and the local
 * backend's; a line this does not recognise is kept as Convex wrote it rather than dropped.
 */

export type TableChange = { table: string; added: number; deleted: number; existing: number; files: boolean };

export type ConfirmationText = { changes: TableChange[]; sentences: string[] };

const count = (text: string) => Number(text.replace(/,/g, ""));
const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

const CLI_NOTICE =
  /^(Once the import has started, it will run in the background\.|Interrupting `npx convex import` will not cancel it\.)$/;
const DIVIDER = /^[-| ]+$/;
const CHANGE_ROW = /^([\d,]+)$/;
const DELETE_CELL = /^([\d,]+) of ([\d,]+)( files| documents)?$/;

/** One row of the change table, e.g. `tasks | 3 | 0 of 5 |` or `| _storage | 10 | 11 of 11 files |`. */
function tableChangeOf(line: string, component: string | null): TableChange | null {
  const cells = line
    .split("|")
    .map((cell) => cell.trim())
    .filter((cell) => cell !== "");
  if (cells.length !== 3) return null;
  const [table, added, deleted] = cells as [string, string, string];
  const removal = DELETE_CELL.exec(deleted);
  if (!CHANGE_ROW.test(added) || removal === null) return null;
  return {
    table: component === null ? table : `${component}/${table}`,
    added: count(added),
    deleted: count(removal[1]!),
    existing: count(removal[2]!),
    files: removal[3] === " files" || table === "_storage",
  };
}

export function changeSentence(change: TableChange): string {
  const unit = change.files ? ["file", "files"] : ["row", "rows"];
  const name = change.table === "_storage" ? "File storage" : change.table;
  const adds = `adds ${plural(change.added, unit[0]!, unit[1]!)}`;
  if (change.deleted > 0)
    return `${name}: ${adds} and deletes ${change.deleted === change.existing ? "all" : change.deleted.toLocaleString("en-US") + " of"} its ${plural(change.existing, unit[0]!, unit[1]!)}.`;
  if (change.existing > 0) return `${name}: ${adds} to its ${plural(change.existing, unit[0]!, unit[1]!)}.`;
  return `${name}: ${adds}; it is empty now.`;
}

/** Convex's `message_to_confirm` as the tables it changes and sentences for the page. */
export function confirmationOf(messageToConfirm: string): ConfirmationText {
  const changes: TableChange[] = [];
  const sentences: string[] = [];
  let component: string | null = null;
  let sawNotice = false;
  for (const raw of messageToConfirm.split("\n")) {
    const line = raw.trim();
    if (line === "" || line === "Import change summary:" || DIVIDER.test(line)) continue;
    if (/^\|?\s*table\s*\|\s*create\s*\|\s*delete\s*\|?$/.test(line)) continue;
    if (CLI_NOTICE.test(line)) {
      sawNotice = true;
      continue;
    }
    const componentLine = /^Component (.+)$/.exec(line);
    if (componentLine) {
      component = componentLine[1]!;
      continue;
    }
    const change = tableChangeOf(line, component);
    if (change !== null) {
      changes.push(change);
      sentences.push(changeSentence(change));
    } else sentences.push(line);
  }
  if (sawNotice)
    sentences.push(
      "Once confirmed, the deployment writes the rows in the background: leaving or closing this page does not stop it.",
    );
  return { changes, sentences };
}

/** What a progress message says about rows written: the table, rows so far, and the total if given. */
export type ImportProgress = { table: string | null; rows: number | null; total: number | null };

const CONVEX_PROGRESS = /^Importing "([^"]+)"(?:[^(]*)(?: \(([\d,]+) documents\))?$/;
const LOCAL_PROGRESS = /^Importing \(([\d,]+) \/ ([\d,]+) documents\)$/;

export function importProgressOf(message: string): ImportProgress {
  const convex = CONVEX_PROGRESS.exec(message.trim());
  if (convex)
    return { table: convex[1]!, rows: convex[2] === undefined ? null : count(convex[2]), total: null };
  const local = LOCAL_PROGRESS.exec(message.trim());
  if (local) return { table: null, rows: count(local[1]!), total: count(local[2]!) };
  return { table: null, rows: null, total: null };
}

/** A progress message as a sentence: "Importing "tasks" (4,000 documents)" → "4,000 rows written to tasks so far." */
export function progressSentence(message: string): string {
  const text = message.trim();
  const progress = importProgressOf(text);
  if (progress.rows !== null && progress.total !== null)
    return `${progress.rows.toLocaleString("en-US")} of ${plural(progress.total, "row", "rows")} written so far.`;
  if (progress.rows !== null)
    return `${plural(progress.rows, "row", "rows")} written to ${progress.table} so far.`;
  if (progress.table !== null) return `Writing the rows of ${progress.table}…`;
  const reading = /^Reading "([^"]+)" \(([\d,]+) documents\)$/.exec(text);
  if (reading)
    return `Checking the rows of ${reading[1]}: ${plural(count(reading[2]!), "row", "rows")} so far.`;
  const writing = /^Importing ([\d,]+) documents$/.exec(text);
  if (writing) return `Writing ${plural(count(writing[1]!), "row", "rows")}…`;
  if (text === "Importing" || text === "") return "Writing the rows…";
  return text;
}

/** Convex's failure text without its terminal prefix ("Hit an error while importing:\n…"). */
export function failureText(errorMessage: string): string {
  return errorMessage.replace(/^Hit an error while importing:\s*/, "").trim();
}
