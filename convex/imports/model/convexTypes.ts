/**
 * Convex's import type rules, as its importer applies them. A CSV cell becomes a float when Rust's
 * `str::parse::<f64>()` accepts it, otherwise it stays a string: no booleans, nulls or integers.
 * JSON numbers always become floats.
 */

const RUST_FLOAT = /^[+-]?(?:inf|infinity|nan|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/i;

/**
 * Whether a cell may be a number by its first character (a digit, sign, dot, or the i/n of inf and
 * nan): checked for every cell of every row, it rules most text out without the regex.
 */
function mayBeNumber(cell: string): boolean {
  const first = cell.charCodeAt(0);
  const lower = first | 0x20;
  return (
    (first >= 0x30 && first <= 0x39) ||
    first === 0x2b ||
    first === 0x2d ||
    first === 0x2e ||
    lower === 0x69 ||
    lower === 0x6e
  );
}

/** True when Convex's CSV import turns this cell into a number. */
export function isCsvNumber(cell: string): boolean {
  return mayBeNumber(cell) && RUST_FLOAT.test(cell);
}

export function csvCellValue(cell: string): string | number {
  if (!isCsvNumber(cell)) return cell;
  // What the pattern accepts ends in a digit or a dot, or is inf, infinity or nan (with a sign).
  const last = cell.charCodeAt(cell.length - 1) | 0x20;
  if (last === 0x66 || last === 0x79) return cell.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  if (last === 0x6e) return NaN;
  return Number(cell);
}

/** The Convex type name a value will have once imported. */
export type ConvexTypeName = "string" | "float64" | "int64" | "boolean" | "null" | "array" | "object";

export function convexTypeOf(value: unknown): ConvexTypeName {
  if (value === null) return "null";
  if (typeof value === "number") return "float64";
  if (typeof value === "bigint") return "int64";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "string") return "string";
  if (Array.isArray(value)) return "array";
  return "object";
}

/** A leading zero a number drops ("0001" → 1), but not "0", "0.5" or "-0.5". */
export function hasLeadingZero(cell: string): boolean {
  // Checked per cell of every row: the first characters rule most cells out without a regex.
  const zeroAt = cell.charCodeAt(0) === 0x2b || cell.charCodeAt(0) === 0x2d ? 1 : 0;
  if (cell.charCodeAt(zeroAt) !== 0x30) return false;
  return /^[+-]?0\d/.test(cell) && isCsvNumber(cell);
}

/** Integer digit strings past 2^53 that a float cannot hold exactly. */
export function losesPrecision(cell: string): boolean {
  // More than 15 digits take sixteen characters, the first a digit or sign: most cells are not.
  if (cell.length < 16 || !mayBeNumber(cell)) return false;
  const digits = cell.replace(/^[+-]/, "");
  return (
    /^\d+$/.test(digits) && digits.replace(/^0+/, "").length > 15 && !Number.isSafeInteger(Number(digits))
  );
}

/** Convex field names: letters, digits and underscores, not starting with a digit, ≤ 64 chars. */
export function fieldNameProblem(name: string): string | null {
  if (name === "") return "an empty column name";
  if (name.length > 64) return `the column name \`${name.slice(0, 20)}…\` is longer than 64 characters`;
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name))
    return `the column name \`${name}\` is not a valid Convex field name (letters, digits, _)`;
  if (name.startsWith("_") && name !== "_id" && name !== "_creationTime")
    return `the column name \`${name}\` starts with _, which Convex keeps for system fields`;
  return null;
}
