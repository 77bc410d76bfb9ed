/**
 * Convex's import type rules, as its importer applies them. A CSV cell becomes a float when Rust's
 * `str::parse::<f64>()` accepts it, otherwise it stays a string: no booleans, nulls or integers.
 * JSON numbers always become floats.
 */

const RUST_FLOAT = /^[+-]?(?:inf|infinity|nan|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/i;

/** True when Convex's CSV import turns this cell into a number. */
export function isCsvNumber(cell: string): boolean {
  return RUST_FLOAT.test(cell);
}

export function csvCellValue(cell: string): string | number {
  if (!isCsvNumber(cell)) return cell;
  const lower = cell.toLowerCase().replace(/^\+/, "");
  if (lower === "inf" || lower === "infinity") return Infinity;
  if (lower === "-inf" || lower === "-infinity") return -Infinity;
  if (lower.endsWith("nan")) return NaN;
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
  // Sixteen characters at least hold more than 15 digits: most cells are shorter.
  if (cell.length < 16) return false;
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
