/**
 * The local backend's admin key, in the self-hosted format the Convex CLI accepts in
 * `CONVEX_SELF_HOSTED_ADMIN_KEY` (`<instance name>|<hex secret>`). Admin callers present it as
 * `Authorization: Convex <key>` (the scheme matched case-insensitively, as Convex does) or, only
 * when there is no Authorization header, as `?adminKey=<key>`. The key is compared in constant
 * time and never logged.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const ADMIN_KEY_INSTANCE = "local";

export function generateAdminKey(): string {
  return `${ADMIN_KEY_INSTANCE}|${randomBytes(32).toString("hex")}`;
}

/** The error Convex answers for a key that is not this deployment's (HTTP 401). */
export const BAD_ADMIN_KEY = {
  code: "BadAdminKey",
  message: "The provided admin key was invalid for this instance",
} as const;

export type Credential =
  | { kind: "none" }
  | { kind: "admin"; key: string }
  | { kind: "user"; token: string }
  | { kind: "unsupported"; scheme: string };

/** What the request presents: an admin key, a user's bearer token, or nothing. */
export function credentialOf(req: IncomingMessage, url: URL): Credential {
  const header = req.headers.authorization;
  if (header === undefined || header === "") {
    const key = url.searchParams.get("adminKey");
    return key ? { kind: "admin", key } : { kind: "none" };
  }
  if (header.slice(0, 7).toLowerCase() === "convex ") return { kind: "admin", key: header.slice(7).trim() };
  if (header.slice(0, 7).toLowerCase() === "bearer ") return { kind: "user", token: header.slice(7).trim() };
  return { kind: "unsupported", scheme: header.split(" ", 1)[0] ?? "" };
}

export class AdminKeyCheck {
  private readonly expected: Buffer | null;

  constructor(key: string | null | undefined) {
    this.expected = key ? Buffer.from(key, "utf8") : null;
  }

  get configured(): boolean {
    return this.expected !== null;
  }

  matches(candidate: string): boolean {
    if (this.expected === null) return false;
    const given = Buffer.from(candidate, "utf8");
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }
}
