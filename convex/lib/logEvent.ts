/**
 * One event of Convex's log stream, as the webhook delivers it: metrics rolls it up and usage meters
 * it, so its shape lives here rather than in either domain.
 */
export type RawLogEvent = { topic: string; timestamp: number } & Record<string, unknown>;
