/** Pure view logic of the Audit page: actions and details in words. */

const WORDS: Record<string, string> = { logstream: "log stream" };

/** "user.role_changed" → "User role changed". */
export function actionLabel(action: string): string {
  const words = action
    .split(/[._]/)
    .map((word) => WORDS[word] ?? word)
    .join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A Convex document id: 32 characters of lowercase base32. Meaningless to a reader, so not shown. */
const DOCUMENT_ID = /^[a-z0-9]{31,37}$/;

function displayValue(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** "sessionsEnded" → "sessions ended". */
function keyLabel(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** Details as [label, value] pairs, without empty values and raw document ids. */
export function detailEntries(
  details: Record<string, string | number | boolean | null> | undefined,
): Array<[string, string]> {
  return Object.entries(details ?? {})
    .filter((entry): entry is [string, string | number | boolean] => {
      const value = entry[1];
      return value !== null && !(typeof value === "string" && DOCUMENT_ID.test(value));
    })
    .map(([key, value]) => [keyLabel(key), displayValue(value)]);
}
