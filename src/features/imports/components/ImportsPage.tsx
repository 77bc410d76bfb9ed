import { useRef, useState } from "react";
import type { Id } from "@convex/_generated/dataModel";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { useImports } from "../api";
import { ImportDetail } from "./ImportDetail";
import { ImportHistory } from "./ImportHistory";
import { NewImportForm } from "./NewImportForm";

/** Imports into the connected deployment: upload, preview, pick the mode, confirm, watch, history. */
export function ImportsPage() {
  const viewer = useViewer();
  const canAct = viewerHasRole(viewer, "operator");
  const isAdmin = viewerHasRole(viewer, "admin");
  const list = useImports();
  const [chosenId, setChosenId] = useState<Id<"imports"> | null>(null);
  const uploads = useRef(new Map<Id<"imports">, AbortController>());
  const imports = list?.imports ?? [];
  const shown = imports.find((row) => row._id === chosenId) ?? imports[0] ?? null;
  return (
    <Page
      title="Imports"
      description="CSV, JSON Lines, JSON arrays and snapshot ZIPs into the connected deployment, previewed before anything is written."
    >
      {list === undefined ? (
        <SkeletonRows rows={6} label="Loading imports…" />
      ) : (
        <div className="stack">
          {canAct && (
            <NewImportForm
              appTables={list.appTables}
              onlyAppTables={list.onlyAppTables}
              onStarted={(importId, upload) => {
                uploads.current.set(importId, upload);
                setChosenId(importId);
              }}
            />
          )}
          {list.deployment === null && (
            <p className="notice">No deployment is connected: an admin sets it in Settings first.</p>
          )}
          {shown !== null && (
            <ImportDetail
              key={shown._id}
              row={shown}
              canAct={canAct}
              isAdmin={isAdmin}
              intoConsoleItself={list.onlyAppTables && shown.deployment === list.deployment}
              onCanceled={() => uploads.current.get(shown._id)?.abort()}
              onShow={setChosenId}
              expected={shown.targetTable === null ? undefined : list.columns[shown.targetTable]}
            />
          )}
          <ImportHistory
            imports={imports}
            shownId={shown?._id ?? null}
            onShow={setChosenId}
            canDownload={isAdmin}
          />
        </div>
      )}
    </Page>
  );
}
