import type { ImportRow } from "./Imports.utils";

/** A CSV of 10,000 valid rows whose `zip` column loses its leading zeros: the tests' usual preview. */
export const VALID_PREVIEW: NonNullable<ImportRow["preview"]> = {
  rows: 10_000,
  validRows: 10_000,
  fields: [
    { name: "text", types: ["string"], empty: 0 },
    { name: "zip", types: ["float64"], empty: 2 },
  ],
  firstRows: ['{"text":"Rotate keys","zip":1234}'],
  invalidLines: [],
  invalidCount: 0,
  warnings: ["Column `zip` has leading zeros and will lose them (e.g. 01234 becomes 1234)."],
  tables: [],
  rejected: null,
};
