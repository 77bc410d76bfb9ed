/**
 * Convex's log stream webhook: body parsing and signature checking, kept pure so the HTTP action
 * stays thin. Bodies are a JSON array (`format: "json"`) or JSON lines (`format: "jsonl"`), at most
 * 128 events, signed as `x-webhook-signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 */
import type { RawLogEvent } from "../../lib/logEvent";

export const MAX_EVENTS_PER_BATCH = 128;
export const SIGNATURE_HEADER = "x-webhook-signature";

type ParseResult = { ok: true; events: RawLogEvent[] } | { ok: false; problem: string };

function checkEvent(value: unknown, position: string): RawLogEvent | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `${position} is not a JSON object`;
  }
  const event = value as Record<string, unknown>;
  if (typeof event.topic !== "string" || event.topic === "") {
    return `${position} has no "topic"`;
  }
  if (typeof event.timestamp !== "number" || !Number.isFinite(event.timestamp)) {
    return `${position} has no numeric "timestamp"`;
  }
  return event as RawLogEvent;
}

export function parseLogStreamBody(body: string): ParseResult {
  const text = body.trim();
  if (text === "") return { ok: false, problem: "the body is empty" };
  let values: unknown[];
  let describe: (index: number) => string;
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return { ok: false, problem: "the body is not a JSON array" };
      values = parsed;
    } catch {
      return { ok: false, problem: "the body is not valid JSON" };
    }
    describe = (index) => `event ${index + 1}`;
  } else {
    const lines = text.split(/\r?\n/);
    values = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === "") continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        return { ok: false, problem: `line ${index + 1} is not valid JSON` };
      }
    }
    describe = (index) => `line ${index + 1}`;
  }
  if (values.length > MAX_EVENTS_PER_BATCH) {
    return {
      ok: false,
      problem: `the batch has ${values.length} events; Convex sends at most ${MAX_EVENTS_PER_BATCH}`,
    };
  }
  const events: RawLogEvent[] = [];
  for (const [index, value] of values.entries()) {
    const checked = checkEvent(value, describe(index));
    if (typeof checked === "string") return { ok: false, problem: checked };
    events.push(checked);
  }
  return { ok: true, events };
}

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function signBody(secret: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return `sha256=${toHex(await crypto.subtle.sign("HMAC", key, body))}`;
}

/** Compares every character whatever the first difference, so timing does not leak the signature. */
function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    difference |= (a.charCodeAt(index) || 0) ^ (b.charCodeAt(index) || 0);
  }
  return difference === 0;
}

/** True when the header signs these exact bytes with any of the accepted secrets (old + new during rotation). */
export async function verifySignature(
  secrets: readonly string[],
  body: Uint8Array<ArrayBuffer>,
  header: string | null,
): Promise<boolean> {
  if (header === null) return false;
  const presented = header.trim().toLowerCase();
  let matched = false;
  for (const secret of secrets) {
    if (constantTimeEqual(await signBody(secret, body), presented)) matched = true;
  }
  return matched;
}

type StoredSecrets = {
  current: string;
  previous: string | null;
  previousValidUntil: number | null;
  /** Until when LOG_STREAM_WEBHOOK_SECRET still verifies after a secret was first set in Settings. */
  environmentValidUntil?: number | null;
};

type AcceptedSecret = {
  which: "current" | "previous" | "environment";
  secret: string;
  /** Null: accepted until the next rotation. */
  until: number | null;
};

/**
 * The secrets a signature may match at `now`. The environment variable is the starting secret:
 * once an admin sets one in Settings it keeps working only through the grace period, so a leaked
 * or retired secret really stops verifying. After a rotation the previous secret gets the same grace.
 */
export function acceptedSecretsAt(
  stored: StoredSecrets | null,
  environmentSecret: string | undefined,
  now: number,
): AcceptedSecret[] {
  const fromEnvironment = environmentSecret?.trim() ? environmentSecret.trim() : null;
  if (stored === null) {
    return fromEnvironment === null ? [] : [{ which: "environment", secret: fromEnvironment, until: null }];
  }
  const accepted: AcceptedSecret[] = [{ which: "current", secret: stored.current, until: null }];
  if (stored.previous !== null && (stored.previousValidUntil ?? 0) > now) {
    accepted.push({ which: "previous", secret: stored.previous, until: stored.previousValidUntil });
  }
  const environmentUntil = stored.environmentValidUntil ?? null;
  if (fromEnvironment !== null && environmentUntil !== null && environmentUntil > now) {
    accepted.push({ which: "environment", secret: fromEnvironment, until: environmentUntil });
  }
  return accepted;
}
