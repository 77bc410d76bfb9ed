/**
 * What a kill -9 in the middle of an import leaves behind, as on Convex (`snapshot_import/mod.rs`):
 * an append writes straight into the table in bounded commits, so the rows of the batches it
 * finished are there after a restart (and `_system/cli/tableSize` says how many); a replace writes
 * its rows in one commit at the end, so a replace killed before it leaves the table as it was.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Value } from "convex/values";
import { callOverHttp, spawnBackend, tempDir, waitFor, type RunningBackend } from "./testSupport.ts";

const ADMIN_KEY = `local|${"ab12".repeat(16)}`;
const admin = { Authorization: `Convex ${ADMIN_KEY}` };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(dataDir: string, ports?: RunningBackend): Promise<RunningBackend> {
  const backend = await spawnBackend({
    dataDir,
    crons: false,
    env: { CONVEX_SELF_HOSTED_ADMIN_KEY: ADMIN_KEY },
    ...(ports ? { port: ports.port, sitePort: ports.sitePort } : {}),
  });
  cleanups.push(() => backend.kill());
  return backend;
}

const query = (backend: RunningBackend, path: string, args: Record<string, Value>) =>
  callOverHttp(backend.url, "query", path, args, { headers: admin });

async function post(backend: RunningBackend, path: string, body?: BodyInit) {
  const response = await fetch(`${backend.url}${path}`, { method: "POST", headers: admin, body });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

type ImportState = { state: string; progress_message?: string; error_message?: string };
const stateOf = async (backend: RunningBackend, importId: string) =>
  ((await query(backend, "_system/cli/queryImport", { importId })) as { state: ImportState }).state;
const rowsOf = async (backend: RunningBackend, table: string) =>
  Number(await query(backend, "_system/cli/tableSize", { tableName: table }));

/** Uploads `rows` messages as JSON Lines with `mode`, confirms, and returns the import's id. */
async function startImport(backend: RunningBackend, mode: string, rows: number): Promise<string> {
  const lines = Array.from({ length: rows }, (_, index) =>
    JSON.stringify({ author: "import", body: `row ${index} ${"x".repeat(200)}`, rank: index }),
  ).join("\n");
  const { uploadToken } = (await (await post(backend, "/api/import/start_upload")).json()) as {
    uploadToken: string;
  };
  const part = (await (
    await post(backend, `/api/import/upload_part?uploadToken=${uploadToken}&partNumber=1`, lines)
  ).json()) as string;
  const { importId } = (await (
    await post(
      backend,
      "/api/import/finish_upload",
      JSON.stringify({
        import: { format: "jsonLines", mode, tableName: "messages" },
        uploadToken,
        partTokens: [part],
      }),
    )
  ).json()) as { importId: string };
  await waitFor(
    async () => (await stateOf(backend, importId)).state === "waiting_for_confirmation",
    30_000,
    "summary",
  );
  await post(backend, "/api/perform_import", JSON.stringify({ importId }));
  return importId;
}

async function seed(backend: RunningBackend, count: number) {
  const importId = await startImport(backend, "append", count);
  await waitFor(async () => (await stateOf(backend, importId)).state === "completed", 30_000, "seed");
}

describe("an import killed mid-way", { timeout: 120_000 }, () => {
  it("an append keeps the batches it committed: the table holds them after a restart", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    await seed(first, 3);
    const total = 60_000;
    const importId = await startImport(first, "append", total);
    let reported = 0;
    await waitFor(
      async () => {
        const match = /Importing \(([\d,]+) \/ ([\d,]+) documents\)/.exec(
          (await stateOf(first, importId)).progress_message ?? "",
        );
        reported = match ? Number(match[1]!.replace(/,/g, "")) : 0;
        return reported >= 4000;
      },
      60_000,
      "append progress",
    );
    await first.kill();

    const second = await start(dir.path, first);
    const after = await stateOf(second, importId);
    expect(after.state).toBe("failed");
    expect(after.error_message).toMatch(/stopped during the import/);
    // The rows Convex reported are in the table, and more than the seed: not rolled back.
    const rows = await rowsOf(second, "messages");
    expect(rows).toBeGreaterThanOrEqual(3 + reported);
    expect(rows).toBeLessThan(3 + total);
    expect(await rowsOf(second, "no_such_table")).toBe(0);
  });

  it("a replace writes nothing until its one commit: killed before it, the table is as it was", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    await seed(first, 3);
    const importId = await startImport(first, "replace", 60_000);
    await waitFor(
      async () => /^(Reading|Importing)/.test((await stateOf(first, importId)).progress_message ?? ""),
      60_000,
      "replace progress",
    );
    await first.kill();
    const second = await start(dir.path, first);
    expect((await stateOf(second, importId)).state).toBe("failed");
    expect(await rowsOf(second, "messages")).toBe(3);
  });
});
