/**
 * The `_snapshot_imports` document that `_system/cli/queryImport` returns, after `jsonToConvex`.
 * Its `state` field is itself tagged by `state` (Rust `ImportState`); i64 fields are bigints.
 */
export type ConvexImportState =
  | { state: "uploaded" }
  | { state: "waiting_for_confirmation"; messageToConfirm: string; requireManualConfirmation: boolean }
  | { state: "in_progress"; progressMessage: string; checkpointMessages: string[] }
  | { state: "completed"; timestamp: bigint; numRowsWritten: bigint }
  | { state: "failed"; errorMessage: string };

export type ImportCheckpoint = {
  table: string;
  totalRowsToWrite: bigint;
  rowsWritten: bigint;
  existingRows: bigint;
  existingRowsToDelete: bigint;
};

export type ConvexImport = { id: string; state: ConvexImportState; checkpoints: ImportCheckpoint[] };

/** What `finish_upload` takes: the HTTP enum spellings (camelCase), not the stored PascalCase. */
export type ImportSpec = {
  format: "csv" | "jsonLines" | "jsonArray" | "zip";
  mode: "requireEmpty" | "append" | "replace" | "replaceAll";
  /** Required for csv/jsonLines/jsonArray, forbidden for zip. */
  tableName?: string;
  componentPath?: string;
};

export type ImportParseResult = { ok: true; import: ConvexImport | null } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const toBigint = (value: unknown): bigint =>
  typeof value === "bigint" ? value : typeof value === "number" ? BigInt(Math.trunc(value)) : 0n;

export function parseConvexImport(value: unknown): ImportParseResult {
  if (value === null) return { ok: true, import: null };
  if (!isRecord(value) || !isRecord(value.state) || typeof value._id !== "string") {
    return { ok: false, reason: "the import record is not an object with an _id and a state" };
  }
  const s = value.state;
  let state: ConvexImportState;
  switch (s.state) {
    case "uploaded":
      state = { state: "uploaded" };
      break;
    case "waiting_for_confirmation":
      state = {
        state: "waiting_for_confirmation",
        messageToConfirm: typeof s.message_to_confirm === "string" ? s.message_to_confirm : "",
        requireManualConfirmation: s.require_manual_confirmation !== false,
      };
      break;
    case "in_progress":
      state = {
        state: "in_progress",
        progressMessage: typeof s.progress_message === "string" ? s.progress_message : "Importing",
        checkpointMessages: Array.isArray(s.checkpoint_messages)
          ? s.checkpoint_messages.filter((m): m is string => typeof m === "string")
          : [],
      };
      break;
    case "completed":
      state = {
        state: "completed",
        timestamp: toBigint(s.timestamp),
        numRowsWritten: toBigint(s.num_rows_written),
      };
      break;
    case "failed":
      state = { state: "failed", errorMessage: typeof s.error_message === "string" ? s.error_message : "" };
      break;
    default:
      return { ok: false, reason: `the import is in an unknown state ${JSON.stringify(s.state)}` };
  }
  const checkpoints = (Array.isArray(value.checkpoints) ? value.checkpoints : [])
    .filter(isRecord)
    .map((c) => ({
      table: typeof c.display_table_name === "string" ? c.display_table_name : "",
      totalRowsToWrite: toBigint(c.total_num_rows_to_write),
      rowsWritten: toBigint(c.num_rows_written),
      existingRows: toBigint(c.existing_rows_in_table),
      existingRowsToDelete: toBigint(c.existing_rows_to_delete),
    }));
  return { ok: true, import: { id: value._id, state, checkpoints } };
}
