/**
 * For other domains' tests that need log-stream events to pass through the real ingest (usage is
 * metered there), without opening metrics' internals to their production code.
 */
export { ingestEvents } from "./ingest";
