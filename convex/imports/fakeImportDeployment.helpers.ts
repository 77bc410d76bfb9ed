/**
 * The connected deployment's snapshot import API as a fetch stub, for the import flow's tests: it
 * keeps the uploaded parts, answers `_system/cli/queryImport` with the `_snapshot_imports` shapes
 * Convex sends, applies the mode's rules (requireEmpty refuses a non-empty table at the confirmation
 * stage with Convex's message), and on `perform_import` really writes the rows into convex-test:
 * JSON Lines into the named table, a ZIP into every table it holds (as Convex does, whichever tables
 * they are). Everything else (exports for the pre-import backup, storage) goes to the backups' fake
 * deployment. `crashAfter` plays a deployment killed mid-append: the first rows land, Convex
 * reports that progress once, and after its restart it reports the import failed.
 * `_system/cli/tableSize` counts the `tasks` table.
 */
import { convexToJson, type Value } from "convex/values";
import { decodeExportJson } from "../lib/snapshot/exportJson";
import { classifySnapshotPath } from "../lib/snapshot/snapshotPaths";
import { ZipReader } from "../lib/snapshot/zipReader";
import {
  fakeFetch,
  DEPLOY_KEY,
  DEPLOYMENT_URL,
  type FakeDeployment,
} from "../backups/fakeDeployment.helpers";
import type { Backend } from "../test.helpers";

export type FakeImportSide = {
  parts: Uint8Array[];
  finished?: { import: { format: string; mode: string; tableName?: string } };
  state: Record<string, Value> | null;
  performed: number;
  canceled: number;
  /** Rows an append writes before the deployment is killed. */
  crashAfter?: number;
  /** The state the next `queryImport` moves to after answering with the current one. */
  next?: Record<string, Value>;
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function summary(table: string, create: number, remove: number, existing: number): string {
  return [
    "Import change summary:",
    "| table | create | delete |",
    "|-------|--------|--------|",
    `| ${table} | ${create} | ${remove} of ${existing} |`,
    "Once the import has started, it will run in the background.",
    "Interrupting `npx convex import` will not cancel it.",
  ].join("\n");
}

export async function* inOneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

type TableRows = Map<string, Array<Record<string, Value>>>;

/** The documents of each table a snapshot ZIP holds, without their system fields. */
async function zipRows(bytes: Uint8Array): Promise<TableRows> {
  const tables: TableRows = new Map();
  for await (const entry of new ZipReader(inOneChunk(bytes)).entries()) {
    const path = classifySnapshotPath(entry.name);
    let text = "";
    for await (const chunk of entry.chunks()) text += new TextDecoder().decode(chunk);
    if (path.kind !== "documents" || path.component !== "") continue;
    const rows = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const { _id, _creationTime, ...fields } = decodeExportJson(line) as Record<string, Value>;
        return fields;
      });
    tables.set(path.table, rows);
  }
  return tables;
}

export function fakeImportFetch(t: Backend, deployment: FakeDeployment, side: FakeImportSide): typeof fetch {
  const rest = fakeFetch(t, deployment);
  const rows = () => {
    const text = new TextDecoder().decode(new Uint8Array(side.parts.flatMap((part) => [...part])));
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, Value>);
  };
  const existingTasks = () => t.run(async (ctx) => (await ctx.db.query("tasks").collect()).length);
  const bytes = () => new Uint8Array(side.parts.flatMap((part) => [...part]));
  const tableRows = async (): Promise<TableRows> =>
    side.finished!.import.format === "zip"
      ? await zipRows(bytes())
      : new Map([[side.finished!.import.tableName ?? "tasks", rows()]]);
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const auth = new Headers(init?.headers).get("Authorization");
    if (url.startsWith(DEPLOYMENT_URL) && auth !== `Convex ${DEPLOY_KEY}`) return rest(input, init);
    if (url.startsWith(`${DEPLOYMENT_URL}/api/import/upload_part`)) {
      side.parts.push(new Uint8Array(init!.body as Uint8Array));
      return json(`part-${side.parts.length}`);
    }
    if (url === `${DEPLOYMENT_URL}/api/import/finish_upload`) {
      side.finished = JSON.parse(String(init?.body)) as FakeImportSide["finished"];
      const { mode, tableName } = side.finished!.import;
      const existing = await existingTasks();
      side.state =
        mode === "requireEmpty" && existing > 0
          ? {
              state: "failed",
              error_message: `Hit an error while importing:\nTable ${tableName} already exists. Please choose a new table name or use replace/append modes.`,
            }
          : {
              state: "waiting_for_confirmation",
              message_to_confirm:
                side.finished!.import.format === "zip"
                  ? [...(await tableRows()).entries()]
                      .map(([table, documents]) => summary(table, documents.length, 0, 0))
                      .join("\n")
                  : summary(tableName ?? "tasks", rows().length, mode === "replace" ? existing : 0, existing),
              require_manual_confirmation: mode === "replace" && existing > 0,
            };
      return json({ importId: "import-1" });
    }
    if (url === `${DEPLOYMENT_URL}/api/perform_import`) {
      side.performed++;
      if (side.state?.state !== "waiting_for_confirmation") return new Response("", { status: 200 });
      const tables = await tableRows();
      if (side.crashAfter !== undefined && side.finished!.import.mode === "append") {
        const written = rows().slice(0, side.crashAfter);
        await t.run(async (ctx) => {
          for (const document of written) await ctx.db.insert("tasks", document as never);
        });
        side.state = {
          state: "in_progress",
          progress_message: `Importing "tasks" (${written.length} documents)`,
          checkpoint_messages: [],
        };
        side.next = {
          state: "failed",
          error_message: "Hit an error while importing:\nThe local backend stopped during the import.",
        };
        return new Response("", { status: 200 });
      }
      const replace = side.finished!.import.mode !== "append";
      let written = 0;
      await t.run(async (ctx) => {
        for (const [table, documents] of tables) {
          const name = table as "tasks";
          if (replace)
            for (const row of await ctx.db.query(name).collect()) await ctx.db.delete(name, row._id);
          for (const document of documents) await ctx.db.insert(name, document as never);
          written += documents.length;
        }
      });
      side.state = { state: "completed", timestamp: 1n, num_rows_written: BigInt(written) };
      return new Response("", { status: 200 });
    }
    if (url === `${DEPLOYMENT_URL}/api/cancel_import`) {
      side.canceled++;
      if (side.state?.state === "completed" || side.state?.state === "failed") {
        return json(
          { code: "CannotCancelImport", message: "Cannot cancel an import that has finished" },
          400,
        );
      }
      side.state = { state: "failed", error_message: "Import canceled" };
      return new Response("", { status: 200 });
    }
    if (url === `${DEPLOYMENT_URL}/api/query`) {
      const body = JSON.parse(String(init?.body)) as { path: string };
      if (body.path === "_system/cli/queryImport") {
        const value = side.state === null ? null : { _id: "import-1", state: side.state, checkpoints: null };
        if (side.next !== undefined) [side.state, side.next] = [side.next, undefined];
        return json({ status: "success", value: convexToJson(value), logLines: [] });
      }
      if (body.path === "_system/cli/tableSize") {
        return json({ status: "success", value: await existingTasks(), logLines: [] });
      }
    }
    return rest(input, init);
  }) as typeof fetch;
}
