import { appError } from "../lib/errors";

/** Trimmed text of 1 to `max` characters, or VALIDATION_ERROR naming the field. */
export function checkText(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.length > max) {
    throw appError("VALIDATION_ERROR", `${field} needs 1 to ${max} characters.`);
  }
  return trimmed;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** An optional http(s) link; blank means none. */
export function checkOptionalUrl(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 500 || !isHttpUrl(trimmed)) {
    throw appError("VALIDATION_ERROR", `${field} must be an http(s) URL of at most 500 characters.`);
  }
  return trimmed;
}
