import type { FunctionReturnType } from "convex/server";
import { useId, useState } from "react";
import type { api } from "@convex/_generated/api";
import { ErrorNotice } from "@/components/ErrorNotice";
import { StaticTable } from "@/components/StaticTable";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { STORAGE_TABLE } from "@convex/backups/shared";
import { useRestore, useRowsNow } from "../api";
import { consoleTablesKeptSentence, ownDeploymentSentence, rowsNowText } from "../Backups.utils";

type Backup = FunctionReturnType<typeof api.backups.backups.list>[number];
type Connection = NonNullable<FunctionReturnType<typeof api.deployment.connection.status>>;

/** What a restore will do, the mode (and tables) to restore, then the deployment's name typed. */
export function RestoreDialog({
  backup,
  connection,
  appTables,
  onClose,
}: {
  backup: Backup;
  connection: Connection;
  appTables: readonly string[];
  onClose: () => void;
}) {
  const restore = useMutationState(useRestore());
  const rowsNow = useRowsNow();
  const tables = (backup.tables ?? []).filter((row) => row.component === "");
  const [mode, setMode] = useState<"replaceAll" | "replace">(
    connection.isConsoleItself ? "replace" : "replaceAll",
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const groupId = useId();
  const own = connection.isConsoleItself;
  const restored = own
    ? tables.filter((row) => appTables.includes(row.table))
    : mode === "replace"
      ? tables.filter((row) => chosen.includes(row.table))
      : tables;
  // Into the console's own deployment only the app's tables change: the console's own tables,
  // however many, are named once and folded away, so the confirmation stays in reach.
  const tabled = own ? restored : tables;
  const kept = own ? tables.filter((row) => !appTables.includes(row.table)) : [];

  return (
    <TypedConfirmDialog
      title={`Restore ${backup.name} into ${connection.name}?`}
      confirmText={connection.name}
      actionLabel="Restore"
      pending={restore.pending}
      error={
        restore.error !== null ? (
          <ErrorNotice error={restore.error} title="Could not start the restore" />
        ) : null
      }
      onCancel={onClose}
      onConfirm={() =>
        void restore
          .run({
            backupId: backup._id,
            confirmation: connection.name,
            mode: own ? "replace" : mode,
            ...(own ? { tables: [...appTables] } : mode === "replace" ? { tables: chosen } : {}),
          })
          .then((outcome) => {
            if (outcome.ok) onClose();
          })
      }
      consequences={
        <div className="stack-sm">
          {own && <p className="notice notice-warning">{ownDeploymentSentence(appTables)}</p>}
          <p>
            A fresh pre-restore backup is taken first. Then the current contents of{" "}
            <strong>{restored.map((row) => row.table).join(", ") || "no table"}</strong> on {connection.name}{" "}
            are <strong>erased</strong> and replaced with the backup&apos;s
            {!own && mode === "replaceAll" ? "; tables not in the backup are deleted" : ""}.
          </p>
          <StaticTable
            caption={`What the backup holds against the deployment now${
              rowsNow !== undefined && !rowsNow.counted
                ? " (another deployment's rows are not counted here: Convex's summary shows them before you confirm the import)"
                : ""
            }`}
            showCaption
            scroll
            rows={tabled}
            rowKey={(row) => row.table}
            columns={[
              { header: "Table", cell: (row) => row.table },
              { header: "Rows in the backup", cell: (row) => row.rows.toLocaleString("en-US") },
              { header: "Rows now", cell: (row) => rowsNowText(rowsNow, row.table) },
            ]}
          />
          {kept.length > 0 && <p className="muted">{consoleTablesKeptSentence(kept.length)}</p>}
          {!own && (
            <fieldset className="stack-sm">
              <legend>What to restore</legend>
              <label className="field-inline">
                <input
                  type="radio"
                  name={groupId}
                  checked={mode === "replaceAll"}
                  onChange={() => setMode("replaceAll")}
                />
                Everything (replace all tables)
              </label>
              <label className="field-inline">
                <input
                  type="radio"
                  name={groupId}
                  checked={mode === "replace"}
                  onChange={() => setMode("replace")}
                />
                Only the tables I choose
              </label>
              {mode === "replace" &&
                [...tables, ...(backup.includeStorage ? [{ table: STORAGE_TABLE }] : [])].map((row) => (
                  <label key={row.table} className="field-inline">
                    <input
                      type="checkbox"
                      checked={chosen.includes(row.table)}
                      onChange={(event) =>
                        setChosen(
                          event.target.checked
                            ? [...chosen, row.table]
                            : chosen.filter((table) => table !== row.table),
                        )
                      }
                    />
                    {row.table === STORAGE_TABLE ? "File storage (_storage)" : row.table}
                  </label>
                ))}
            </fieldset>
          )}
        </div>
      }
    />
  );
}
