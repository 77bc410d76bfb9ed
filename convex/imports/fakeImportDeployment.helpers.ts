/**
 * The connected deployment's snapshot import API as a fetch stub, for the import flow's tests: it
 * keeps the uploaded parts, answers `_system/cli/queryImport` with the `_snapshot_imports` shapes
 * Convex sends, applies the mode's rules (requireEmpty refuses a non-empty table at the confirmation
 * stage with Convex's message), and on `perform_import` really writes the JSON Lines rows into
 * convex-test's `tasks` table. `crashAfter` plays a deployment killed mid-append: the first rows
 * land, Convex reports that progress once, and after its restart it reports the import failed.
 * `_system/cli/tableSize` counts the `tasks` table. Everything else (exports for the pre-import backup, storage) goes to
 * the backups' fake deployment.
 */
import { convexToJson, type Value } from "convex/values";
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
              message_to_confirm: summary(
                tableName ?? "tasks",
                rows().length,
                mode === "replace" ? existing : 0,
                existing,
              ),
              require_manual_confirmation: mode === "replace" && existing > 0,
            };
      return json({ importId: "import-1" });
    }
    if (url === `${DEPLOYMENT_URL}/api/perform_import`) {
      side.performed++;
      if (side.state?.state !== "waiting_for_confirmation") return new Response("", { status: 200 });
      const documents = rows();
      if (side.crashAfter !== undefined && side.finished!.import.mode === "append") {
        const written = documents.slice(0, side.crashAfter);
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
      await t.run(async (ctx) => {
        if (replace)
          for (const task of await ctx.db.query("tasks").collect()) await ctx.db.delete("tasks", task._id);
        for (const document of documents) await ctx.db.insert("tasks", document as never);
      });
      side.state = { state: "completed", timestamp: 1n, num_rows_written: BigInt(documents.length) };
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
