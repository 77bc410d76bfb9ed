/**
 * One event of Convex's log stream, as the webhook delivers it: metrics rolls it up and usage meters
 * it, so its shape lives here rather than in either domain.
 */
export type RawLogEvent = { topic: string; timestamp: number } & Record<string, unknown>;

/** One function execution as the ingest reads it from the stream: metrics stores more of it, logs this much. */
export type ExecutionBasics = {
  deployment: string;
  ts: number;
  requestId: string;
  functionPath: string;
  functionType: string;
  cached: boolean;
  status: "success" | "failure";
  durationMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  readDocuments: number;
  writeDocuments: number;
};

/** One console line as the ingest reads it from the stream; a slow-query line adds its figures. */
export type ConsoleBasics = {
  deployment: string;
  ts: number;
  requestId: string | null;
  functionPath: string | null;
  level: string;
  message: string;
};
