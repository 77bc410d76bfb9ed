import { StaticTable } from "@/components/StaticTable";
import { problemSentence } from "@convex/imports/shared";
import type { ImportRow } from "../Imports.utils";

type Preview = NonNullable<ImportRow["preview"]>;

export type ExpectedColumn = { name: string; type: string; optional: boolean };

/**
 * What Convex will make of the file: counts, every problem by field, the columns the target table
 * expects, fields and their types, first rows, invalid lines, warnings.
 */
export function ImportPreview({
  preview,
  table,
  expected,
}: {
  preview: Preview;
  table: string | null;
  expected: readonly ExpectedColumn[] | undefined;
}) {
  const moreInvalid = preview.invalidCount - preview.invalidLines.length;
  return (
    <section className="stack-sm" aria-label="Preview">
      <p>
        <strong>{preview.rows.toLocaleString("en-US")}</strong> rows read,{" "}
        <strong>{preview.validRows.toLocaleString("en-US")}</strong> valid
        {preview.invalidCount > 0 && (
          <>
            , <strong>{preview.invalidCount.toLocaleString("en-US")}</strong> invalid
          </>
        )}
        .
      </p>
      {preview.tables.length > 0 && (
        <ul aria-label="Tables in the file">
          {preview.tables.map((entry) => (
            <li key={entry.table}>
              <span className="mono">{entry.table}</span>: {entry.rows.toLocaleString("en-US")} rows
            </li>
          ))}
        </ul>
      )}
      {(preview.problems ?? []).length > 0 && (
        <div className="notice notice-error">
          <h3>What the file needs</h3>
          <ul aria-label="Problems by field">
            {(preview.problems ?? []).map((problem) => (
              <li key={`${problem.kind}-${problem.field}`}>{problemSentence(problem)}</li>
            ))}
          </ul>
        </div>
      )}
      {expected !== undefined && expected.length > 0 && (
        <details open={(preview.problems ?? []).length > 0}>
          <summary>Columns {table} expects</summary>
          <ul aria-label={`Columns ${table} expects`}>
            {expected.map((column) => (
              <li key={column.name}>
                <span className="mono">{column.name}</span>: {column.type}
                {column.optional ? " (optional)" : ""}
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.invalidLines.length > 0 && (
        <div className="notice notice-error">
          <h3>Invalid lines</h3>
          <ul aria-label="Invalid lines">
            {preview.invalidLines.map((invalid) => (
              <li key={invalid.line}>
                Line {invalid.line.toLocaleString("en-US")}: {invalid.reason}
              </li>
            ))}
          </ul>
          {moreInvalid > 0 && <p>…and {moreInvalid.toLocaleString("en-US")} more.</p>}
        </div>
      )}
      {preview.warnings.length > 0 && (
        <div className="notice">
          <h3>Warnings</h3>
          <ul aria-label="Warnings">
            {preview.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {preview.fields.length > 0 && (
        <StaticTable
          caption="Fields and the types Convex will give them"
          className="data-table"
          scroll
          rows={preview.fields}
          rowKey={(field) => field.name}
          columns={[
            { header: "Field", className: "mono cell-wrap", cell: (field) => field.name },
            { header: "Convex types", cell: (field) => field.types.join(" | ") || "—" },
            { header: "Empty", cell: (field) => field.empty.toLocaleString("en-US") },
          ]}
        />
      )}
      {preview.firstRows.length > 0 && (
        <details>
          <summary>First {preview.firstRows.length} rows as Convex will store them</summary>
          <ol className="mono" style={{ overflowWrap: "anywhere" }}>
            {preview.firstRows.map((row, index) => (
              <li key={index}>{row}</li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
