import { ConvexError, convexToJson, type Value } from "convex/values";
import { describe, expect, test, vi } from "vitest";
import { deploymentClient, type DeploymentClientOptions } from "./client";
import type { DeploymentErrorData } from "./model/errors";

const KEY = "prod:happy-otter-123|eyJ2MiI6ImFkbWluLWtleS1zZWNyZXQifQ==";
const URL_ = "https://happy-otter-123.convex.cloud";

type Recorded = { url: string; method: string; headers: Headers; body: string | null };
type Reply = Response | Error | ((request: Recorded) => Response | Promise<Response>);

/** A fetch that replays the deployment's answers in order and records every request. */
function fakeDeployment(...replies: Reply[]) {
  const requests: Recorded[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = init?.body;
    const recorded: Recorded = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body:
        body === undefined || body === null
          ? null
          : typeof body === "string"
            ? body
            : new TextDecoder().decode(body as Uint8Array),
    };
    requests.push(recorded);
    const reply = replies.shift();
    if (reply === undefined) throw new Error("no more replies");
    if (reply instanceof Error) throw reply;
    return typeof reply === "function" ? reply(recorded) : reply;
  });
  return { fetch: fetchFn as unknown as typeof fetch, requests };
}

const jsonReply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const querySuccess = (value: Value) =>
  jsonReply(200, { status: "success", value: convexToJson(value), logLines: [] });
const noSleep: DeploymentClientOptions = { sleep: async () => {}, random: () => 0.5 };

async function errorOf(promise: Promise<unknown>): Promise<DeploymentErrorData> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConvexError);
    const data = (error as ConvexError<DeploymentErrorData>).data;
    // The key must never travel in an error: not in the data, not in the message, not in the stack.
    expect(JSON.stringify(data)).not.toContain(KEY);
    expect(String((error as Error).message)).not.toContain(KEY);
    expect(String((error as Error).stack)).not.toContain(KEY);
    return data;
  }
  throw new Error("expected the call to fail");
}

describe("deployment client: requests as the Convex CLI sends them", () => {
  test("requestExport posts to /api/export/request/zip with the deploy key", async () => {
    const deployment = fakeDeployment(new Response(null, { status: 200 }));
    await deploymentClient({ url: `${URL_}/`, deployKey: KEY }, { fetch: deployment.fetch }).requestExport({
      includeStorage: true,
    });
    const [request] = deployment.requests;
    expect(request).toMatchObject({
      url: `${URL_}/api/export/request/zip?includeStorage=true`,
      method: "POST",
    });
    expect(request!.headers.get("Authorization")).toBe(`Convex ${KEY}`);
    // Convex refuses a Convex-Client header that is not <name>-<semver>.
    expect(request!.headers.get("Convex-Client")).toMatch(/^convex-ops-console-\d+\.\d+\.\d+$/);
  });

  test("getLatestExport runs _system/cli/exports:getLatest over /api/query and decodes i64 fields as bigints", async () => {
    const deployment = fakeDeployment(
      querySuccess({
        _id: "j57abc",
        _creationTime: 1715973841548.5,
        state: "completed",
        start_ts: 1715973841548000000n,
        complete_ts: 1715973899000000000n,
        expiration_ts: 1717183441548000000n,
        zip_object_key: "abc",
        size: 123456n,
        format: { format: "zip", include_storage: false },
        component: null,
        requestor: "snapshotExport",
      }),
    );
    const latest = await deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deployment.fetch },
    ).getLatestExport();
    expect(latest).toEqual({
      state: "completed",
      includeStorage: false,
      startTs: 1715973841548000000n,
      completeTs: 1715973899000000000n,
      expirationTs: 1717183441548000000n,
      size: 123456n,
    });
    const [request] = deployment.requests;
    expect(request!.url).toBe(`${URL_}/api/query`);
    expect(JSON.parse(request!.body!)).toEqual({
      path: "_system/cli/exports:getLatest",
      format: "convex_encoded_json",
      args: [{}],
    });
    expect(request!.headers.get("Authorization")).toBe(`Convex ${KEY}`);
  });

  test("getLatestExport is null before any export", async () => {
    const deployment = fakeDeployment(querySuccess(null));
    expect(
      await deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch }).getLatestExport(),
    ).toBeNull();
  });

  test("downloadExport streams GET /api/export/zip/{start_ts} with its size and file name", async () => {
    const zipBytes = new Uint8Array([0x50, 0x4b, 5, 6]);
    const deployment = fakeDeployment(
      new Response(zipBytes, {
        status: 200,
        headers: {
          "Content-Length": "4",
          "Content-Disposition": "attachment; filename=snapshot_happy-otter-123_1715973841548000000.zip",
        },
      }),
    );
    const download = await deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deployment.fetch },
    ).downloadExport(1715973841548000000n);
    expect(deployment.requests[0]).toMatchObject({
      url: `${URL_}/api/export/zip/1715973841548000000`,
      method: "GET",
    });
    expect(download.contentLength).toBe(4);
    expect(download.fileName).toBe("snapshot_happy-otter-123_1715973841548000000.zip");
    expect(new Uint8Array(await new Response(download.body).arrayBuffer())).toEqual(zipBytes);
  });

  test("cancel and set-expiration use the snapshot id; expiry is sent as an exact u64", async () => {
    const deployment = fakeDeployment(new Response(null), new Response(null));
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch });
    await client.cancelExport(1715973841548000000n);
    await client.setExportExpiration(1715973841548000000n, 1717183441548000001n);
    expect(deployment.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", `${URL_}/api/export/cancel/1715973841548000000`, null],
      [
        "POST",
        `${URL_}/api/export/set_expiration/1715973841548000000`,
        '{"expirationTsNs":1717183441548000001}',
      ],
    ]);
  });

  test("the import endpoints: start_upload, upload_part in order, finish_upload, perform_import, queryImport", async () => {
    const deployment = fakeDeployment(
      jsonReply(200, { uploadToken: "tok/1" }),
      jsonReply(200, "part-1"),
      jsonReply(200, ""),
      jsonReply(200, { importId: "imp1" }),
      querySuccess({
        _id: "imp1",
        _creationTime: 1,
        state: {
          state: "waiting_for_confirmation",
          message_to_confirm: "Import change summary:\n| table | create | delete |\n| tasks | 3 | 2 of 2 |",
          require_manual_confirmation: true,
        },
        checkpoints: null,
      }),
      new Response(null),
      querySuccess({
        _id: "imp1",
        _creationTime: 1,
        state: { state: "completed", timestamp: 99n, num_rows_written: 3n },
        checkpoints: [
          {
            component_path: "",
            display_table_name: "tasks",
            tablet_id: "t",
            total_num_rows_to_write: 3n,
            num_rows_written: 3n,
            existing_rows_in_table: 2n,
            existing_rows_to_delete: 2n,
            is_missing_id_field: false,
          },
        ],
      }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch });
    const uploadToken = await client.startUpload();
    const partTokens = [
      await client.uploadPart(uploadToken, 1, new TextEncoder().encode("PK..")),
      await client.uploadPart(uploadToken, 2, new Uint8Array(0)),
    ];
    const importId = await client.finishUpload({
      import: { format: "zip", mode: "replaceAll" },
      uploadToken,
      partTokens,
    });
    expect(await client.getImport(importId)).toEqual({
      id: "imp1",
      state: {
        state: "waiting_for_confirmation",
        messageToConfirm: "Import change summary:\n| table | create | delete |\n| tasks | 3 | 2 of 2 |",
        requireManualConfirmation: true,
      },
      checkpoints: [],
    });
    await client.performImport(importId);
    expect(await client.getImport(importId)).toEqual({
      id: "imp1",
      state: { state: "completed", timestamp: 99n, numRowsWritten: 3n },
      checkpoints: [
        { table: "tasks", totalRowsToWrite: 3n, rowsWritten: 3n, existingRows: 2n, existingRowsToDelete: 2n },
      ],
    });
    expect(deployment.requests.map((r) => `${r.method} ${r.url.replace(URL_, "")}`)).toEqual([
      "POST /api/import/start_upload",
      "POST /api/import/upload_part?uploadToken=tok%2F1&partNumber=1",
      "POST /api/import/upload_part?uploadToken=tok%2F1&partNumber=2",
      "POST /api/import/finish_upload",
      "POST /api/query",
      "POST /api/perform_import",
      "POST /api/query",
    ]);
    expect(deployment.requests[1]!.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(deployment.requests[1]!.body).toBe("PK..");
    expect(JSON.parse(deployment.requests[3]!.body!)).toEqual({
      import: { format: "zip", mode: "replaceAll" },
      uploadToken: "tok/1",
      partTokens: ["part-1", ""],
    });
    expect(JSON.parse(deployment.requests[4]!.body!)).toEqual({
      path: "_system/cli/queryImport",
      format: "convex_encoded_json",
      args: [{ importId: "imp1" }],
    });
    expect(JSON.parse(deployment.requests[5]!.body!)).toEqual({ importId: "imp1" });
  });
});

describe("deployment client: current usage", () => {
  test("get_current_usage is read with the deploy key and its metrics parsed", async () => {
    const deployment = fakeDeployment(
      jsonReply(200, {
        metrics: {
          functionCalls: { unit: "calls", usage: { current_day: 1200, current_month: 45000 } },
          databaseIoGb: { unit: "GB", usage: { current_day: 0.02, current_month: 0.7 } },
        },
        seedStatus: "complete",
      }),
    );
    const usage = await deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deployment.fetch },
    ).getCurrentUsage();
    expect(usage).toEqual({
      metrics: {
        functionCalls: { unit: "calls", currentDay: 1200, currentMonth: 45000 },
        databaseIoGb: { unit: "GB", currentDay: 0.02, currentMonth: 0.7 },
      },
      seedStatus: "complete",
    });
    expect(deployment.requests[0]).toMatchObject({ method: "GET", url: `${URL_}/api/v1/get_current_usage` });
    expect(deployment.requests[0]!.headers.get("Authorization")).toBe(`Convex ${KEY}`);
  });

  test("a malformed usage answer is a bad response naming the field", async () => {
    const deployment = fakeDeployment(
      jsonReply(200, { metrics: { functionCalls: { unit: "calls", usage: {} } }, seedStatus: "complete" }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch });
    expect(await errorOf(client.getCurrentUsage())).toEqual({
      code: "DEPLOYMENT_BAD_RESPONSE",
      message:
        "happy-otter-123 gave an answer the console does not understand when asked to read its current usage: the metric functionCalls has no numeric current_day and current_month.",
    });
  });
});

describe("deployment client: failures", () => {
  test("Convex's ExportInProgress becomes a sentence naming the deployment, and is not retried", async () => {
    const deployment = fakeDeployment(
      jsonReply(400, {
        code: "ExportInProgress",
        message: "There is already an export requested or in progress.",
      }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch, ...noSleep });
    expect(await errorOf(client.requestExport({ includeStorage: false }))).toEqual({
      code: "EXPORT_IN_PROGRESS",
      message:
        "An export is already running on happy-otter-123. Only one runs at a time: wait for it to finish, then try again.",
      status: 400,
      convexCode: "ExportInProgress",
    });
    expect(deployment.requests).toHaveLength(1);
  });

  test.each([401, 403])("HTTP %i means the key was refused, and is never retried", async (status) => {
    const deployment = fakeDeployment(
      jsonReply(status, { code: "BadDeployKey", message: `Invalid key ${KEY}` }),
    );
    const client = deploymentClient(
      { url: URL_, deployKey: KEY, name: "prod" },
      { fetch: deployment.fetch, ...noSleep },
    );
    const error = await errorOf(client.getLatestExport());
    expect(error.code).toBe("DEPLOYMENT_KEY_REFUSED");
    expect(error.message).toMatch(/^The deploy key was refused by prod\./);
    expect(deployment.requests).toHaveLength(1);
  });

  test("other Convex errors keep their message; a 4xx is not retried", async () => {
    const deployment = fakeDeployment(
      jsonReply(404, { code: "ExportNotFound", message: "Export 12 not found" }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch, ...noSleep });
    expect((await errorOf(client.downloadExport(12n))).code).toBe("EXPORT_NOT_FOUND");
    const other = fakeDeployment(
      jsonReply(400, { code: "InvalidName", message: "tableName is not allowed for zip" }),
    );
    const otherClient = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: other.fetch, ...noSleep });
    expect(
      await errorOf(
        otherClient.finishUpload({
          import: { format: "zip", mode: "replace", tableName: "x" },
          uploadToken: "t",
          partTokens: [],
        }),
      ),
    ).toEqual({
      code: "DEPLOYMENT_REJECTED",
      message:
        "happy-otter-123 refused to finish the upload (HTTP 400). It said: tableName is not allowed for zip",
      status: 400,
      convexCode: "InvalidName",
    });
  });

  test("5xx and network errors are retried with growing, jittered delays, then succeed", async () => {
    const deployment = fakeDeployment(
      jsonReply(503, { code: "Overloaded", message: "try later" }),
      new TypeError("fetch failed"),
      jsonReply(502, {}),
      querySuccess(null),
    );
    const delays: number[] = [];
    const client = deploymentClient(
      { url: URL_, deployKey: KEY },
      {
        fetch: deployment.fetch,
        sleep: async (ms) => void delays.push(ms),
        random: () => 1,
        backoffBaseMs: 500,
      },
    );
    expect(await client.getLatestExport()).toBeNull();
    expect(delays).toEqual([600, 1200, 2400]);
    expect(deployment.requests).toHaveLength(4);
  });

  test("retries give up after the limit with a sentence counting the attempts", async () => {
    const deployment = fakeDeployment(
      ...Array.from({ length: 5 }, () => jsonReply(500, { code: "InternalServerError", message: "boom" })),
    );
    const client = deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deployment.fetch, ...noSleep, retries: 4 },
    );
    expect(await errorOf(client.getImport("imp1"))).toEqual({
      code: "DEPLOYMENT_FAILED",
      message:
        "happy-otter-123 failed to read the import's progress (HTTP 500) after 5 attempts. It said: boom",
      status: 500,
      convexCode: "InternalServerError",
    });
    expect(deployment.requests).toHaveLength(5);
  });

  test("calls that must not run twice are sent once even on a 5xx or a network error", async () => {
    for (const reply of [jsonReply(500, {}), new TypeError("fetch failed")]) {
      const deployment = fakeDeployment(reply);
      const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch, ...noSleep });
      await errorOf(client.uploadPart("tok", 1, new Uint8Array(5)));
      expect(deployment.requests).toHaveLength(1);
    }
    const deployment = fakeDeployment(new TypeError("fetch failed"));
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch, ...noSleep });
    expect(await errorOf(client.requestExport({ includeStorage: false }))).toMatchObject({
      code: "DEPLOYMENT_UNREACHABLE",
      message: "Could not reach happy-otter-123 to request an export. Check its URL and that it is up.",
    });
  });

  test("a slow deployment times out through AbortController, and a timeout is retried", async () => {
    let calls = 0;
    const hangingFetch = ((_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }) as typeof fetch;
    const client = deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: hangingFetch, timeoutMs: 20, retries: 1, ...noSleep },
    );
    expect(await errorOf(client.getLatestExport())).toEqual({
      code: "DEPLOYMENT_TIMEOUT",
      message:
        "happy-otter-123 did not answer within 20 ms when asked to read the latest export after 2 attempts.",
    });
    expect(calls).toBe(2);
  });

  test("a fetch that ignores the abort signal still times out", async () => {
    const deafFetch = (() => new Promise<Response>(() => {})) as typeof fetch;
    const client = deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deafFetch, timeoutMs: 10, retries: 0, ...noSleep },
    );
    expect((await errorOf(client.requestExport({ includeStorage: false }))).code).toBe("DEPLOYMENT_TIMEOUT");
  });

  test("a download whose body stops arriving errors the stream with a timeout", async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
      },
    });
    const deployment = fakeDeployment(new Response(stalled, { status: 200 }));
    const client = deploymentClient(
      { url: URL_, deployKey: KEY },
      { fetch: deployment.fetch, timeoutMs: 20 },
    );
    const download = await client.downloadExport(1n);
    const reader = download.body.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1, 2, 3]));
    const failure = await reader.read().then(
      () => null,
      (error: ConvexError<DeploymentErrorData>) => error.data,
    );
    expect(failure).toEqual({
      code: "DEPLOYMENT_TIMEOUT",
      message: "happy-otter-123 stopped sending data for 20 ms when asked to download the export.",
    });
    expect(download.fileName).toBe("snapshot_happy-otter-123_1.zip");
  });

  test("a failing query reports Convex's message; an unknown export state is a bad response", async () => {
    const failing = fakeDeployment(
      jsonReply(560, { status: "error", errorMessage: "Server Error: no such function" }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: failing.fetch, ...noSleep });
    expect(await errorOf(client.getLatestExport())).toEqual({
      code: "DEPLOYMENT_FUNCTION_FAILED",
      message: "happy-otter-123 could not read the latest export: Server Error: no such function",
    });
    expect(failing.requests).toHaveLength(1);
    const weird = fakeDeployment(querySuccess({ state: "exploded" }));
    const weirdClient = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: weird.fetch, ...noSleep });
    expect(await errorOf(weirdClient.getLatestExport())).toEqual({
      code: "DEPLOYMENT_BAD_RESPONSE",
      message:
        'happy-otter-123 gave an answer the console does not understand when asked to read the latest export: the export is in an unknown state "exploded".',
    });
  });

  test("nothing is logged, and a key echoed back by the server is redacted from the sentence", async () => {
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method),
    );
    const deployment = fakeDeployment(
      jsonReply(400, { code: "BadRequest", message: `bad header Convex ${KEY}` }),
    );
    const client = deploymentClient({ url: URL_, deployKey: KEY }, { fetch: deployment.fetch, ...noSleep });
    const error = await errorOf(client.requestExport({ includeStorage: false }));
    expect(error.message).toContain("bad header Convex [redacted]");
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
