/**
 * The `_exports` document that `_system/cli/exports:getLatest` returns (Rust `SerializedExport`),
 * after `jsonToConvex`: i64 fields are bigints in nanoseconds. The TypeScript validator in Convex's
 * system UDFs is stale (no `size`, no `canceled`), so this follows the Rust shape and accepts the
 * `cancelled` spelling Convex also reads.
 */
export type ConvexExport =
  | { state: "requested"; includeStorage: boolean; expirationTs: bigint }
  | {
      state: "in_progress";
      includeStorage: boolean;
      startTs: bigint;
      expirationTs: bigint;
      progressMessage: string | null;
    }
  | {
      state: "completed";
      includeStorage: boolean;
      /** The database snapshot timestamp: the id `GET /api/export/zip/{ts}` downloads. */
      startTs: bigint;
      completeTs: bigint;
      expirationTs: bigint;
      /** Bytes of the ZIP; 0 on exports older than the field. */
      size: bigint;
    }
  | { state: "failed"; includeStorage: boolean; startTs: bigint; failedTs: bigint }
  | { state: "canceled"; includeStorage: boolean; startTs: bigint | null; canceledTs: bigint };

export type ExportParseResult = { ok: true; export: ConvexExport | null } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads getLatest's value (null when no export was ever requested); says what is wrong otherwise. */
export function parseConvexExport(value: unknown): ExportParseResult {
  if (value === null) return { ok: true, export: null };
  if (!isRecord(value)) return { ok: false, reason: "the export record is not an object" };
  const format = value.format;
  const includeStorage = isRecord(format) && format.include_storage === true;
  const bigint = (field: string): bigint | null => {
    const v = value[field];
    return typeof v === "bigint" ? v : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : null;
  };
  const need = (field: string): bigint => {
    const v = bigint(field);
    if (v === null) throw new Error(`the ${String(value.state)} export has no ${field}`);
    return v;
  };
  try {
    switch (value.state) {
      case "requested":
        return {
          ok: true,
          export: { state: "requested", includeStorage, expirationTs: need("expiration_ts") },
        };
      case "in_progress": {
        const message = value.progress_message;
        return {
          ok: true,
          export: {
            state: "in_progress",
            includeStorage,
            startTs: need("start_ts"),
            expirationTs: need("expiration_ts"),
            progressMessage: typeof message === "string" ? message : null,
          },
        };
      }
      case "completed":
        return {
          ok: true,
          export: {
            state: "completed",
            includeStorage,
            startTs: need("start_ts"),
            completeTs: need("complete_ts"),
            expirationTs: need("expiration_ts"),
            size: bigint("size") ?? 0n,
          },
        };
      case "failed":
        return {
          ok: true,
          export: { state: "failed", includeStorage, startTs: need("start_ts"), failedTs: need("failed_ts") },
        };
      case "canceled":
      case "cancelled":
        return {
          ok: true,
          export: {
            state: "canceled",
            includeStorage,
            startTs: bigint("start_ts"),
            canceledTs: need("canceled_ts"),
          },
        };
      default:
        return { ok: false, reason: `the export is in an unknown state ${JSON.stringify(value.state)}` };
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Convex timestamps are nanoseconds since the epoch; the console works in milliseconds. */
export function nanosToMillis(ns: bigint): number {
  return Number(ns / 1_000_000n);
}
