/**
 * Checks a row against a table's schema validator (its JSON form, as `defineTable(...).validator.json`
 * gives it), the way Convex enforces the schema on each imported document. Every problem of a row
 * is reported, each with its field, so one upload tells what the whole file needs.
 */
import type { GenericValidator, ValidatorJSON } from "convex/values";
import { convexTypeOf } from "./convexTypes";

/** A schema validator's JSON form (what Convex's schema push sends); typed internal in `convex/values`. */
export function validatorJson(validator: GenericValidator): ValidatorJSON {
  return (validator as unknown as { json: ValidatorJSON }).json;
}

const SYSTEM_FIELDS = new Set(["_id", "_creationTime"]);

/** A validator as a sentence says it: "a number", "an id of users", `"low" or "high"`. */
export function describe(validator: ValidatorJSON): string {
  switch (validator.type) {
    case "literal":
      return JSON.stringify(validator.value);
    case "id":
      return `an id of ${validator.tableName}`;
    case "union":
      return validator.value.map(describe).join(" or ");
    case "number":
      return "a number";
    case "bigint":
      return "an int64";
    case "object":
      return "an object";
    case "array":
      return "an array";
    default:
      return `a ${validator.type}`;
  }
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function matches(validator: ValidatorJSON, value: unknown): boolean {
  switch (validator.type) {
    case "any":
      return value !== undefined;
    case "null":
      return value === null;
    case "number":
      return typeof value === "number";
    case "bigint":
      return typeof value === "bigint";
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "bytes":
      return value instanceof ArrayBuffer;
    case "literal":
      return value === validator.value;
    case "id":
      // Which table an id belongs to is known only to the deployment that issued it, which checks
      // it on insert; the preview can check that it is text.
      return typeof value === "string" && value !== "";
    case "array":
      return Array.isArray(value) && value.every((item) => matches(validator.value, item));
    case "union":
      return validator.value.some((option) => matches(option, value));
    case "record":
      return (
        convexTypeOf(value) === "object" &&
        Object.values(value as object).every((item) => matches(validator.values.fieldType, item))
      );
    case "object":
      return (
        convexTypeOf(value) === "object" &&
        objectProblem(validator.value, value as Record<string, unknown>) === null
      );
    default:
      return true;
  }
}

/** One problem of a row, by field: what the preview counts across the file. */
export type FieldProblem = {
  field: string;
  kind: "missing" | "type" | "unknown";
  wants: string;
  sentence: string;
};

function objectProblems(
  fields: Record<string, { fieldType: ValidatorJSON; optional: boolean }>,
  row: Record<string, unknown>,
  topLevel = false,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const value = row[name];
    const wants = describe(field.fieldType);
    if (value === undefined) {
      if (!field.optional)
        problems.push({
          field: name,
          kind: "missing",
          wants,
          sentence: `Field \`${name}\` is missing; the table requires it.`,
        });
      continue;
    }
    if (!matches(field.fieldType, value)) {
      problems.push({
        field: name,
        kind: "type",
        wants,
        sentence: `Field \`${name}\` is ${shown(value)}; the table's validator wants ${wants}.`,
      });
    }
  }
  for (const name of Object.keys(row)) {
    if (topLevel && SYSTEM_FIELDS.has(name)) continue;
    if (!(name in fields))
      problems.push({
        field: name,
        kind: "unknown",
        wants: "",
        sentence: `Field \`${name}\` is not in the table's schema.`,
      });
  }
  return problems;
}

function objectProblem(
  fields: Record<string, { fieldType: ValidatorJSON; optional: boolean }>,
  row: Record<string, unknown>,
): string | null {
  return objectProblems(fields, row)[0]?.sentence ?? null;
}

/** Every problem of a row against the table's validator, by field (empty when it matches). */
export function rowProblems(tableValidator: ValidatorJSON, row: Record<string, unknown>): FieldProblem[] {
  if (tableValidator.type !== "object")
    return matches(tableValidator, row)
      ? []
      : [
          {
            field: "",
            kind: "type",
            wants: describe(tableValidator),
            sentence: "The row does not match the table's validator.",
          },
        ];
  const problems: FieldProblem[] = [];
  if ("_creationTime" in row && typeof row._creationTime !== "number") {
    problems.push({
      field: "_creationTime",
      kind: "type",
      wants: "a float",
      sentence: "Field `_creationTime` must be a float (Convex refuses other types).",
    });
  }
  return [...problems, ...objectProblems(tableValidator.value, row, true)];
}

/** A row's problems as one reason, every problem in it; null when the row matches. */
export function rowProblem(tableValidator: ValidatorJSON, row: Record<string, unknown>): string | null {
  const problems = rowProblems(tableValidator, row);
  return problems.length === 0 ? null : problems.map((problem) => problem.sentence).join(" ");
}

/** The columns a table expects, with their types as sentences use them, for the preview. */
export function expectedColumns(
  tableValidator: ValidatorJSON,
): { name: string; type: string; optional: boolean }[] {
  if (tableValidator.type !== "object") return [];
  return Object.entries(tableValidator.value).map(([name, field]) => ({
    name,
    type: describe(field.fieldType),
    optional: field.optional,
  }));
}

/** Fields whose validator is exactly v.string(): digit strings there surprise CSV importers. */
export function stringOnlyFields(tableValidator: ValidatorJSON | null): Set<string> {
  if (tableValidator?.type !== "object") return new Set();
  return new Set(
    Object.entries(tableValidator.value)
      .filter(([, field]) => field.fieldType.type === "string")
      .map(([name]) => name),
  );
}

/** Fields whose validator needs a boolean, which no CSV cell can become. */
export function booleanFields(tableValidator: ValidatorJSON | null): string[] {
  if (tableValidator?.type !== "object") return [];
  return Object.entries(tableValidator.value)
    .filter(([, field]) => !field.optional && field.fieldType.type === "boolean")
    .map(([name]) => name);
}
