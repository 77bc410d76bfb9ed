import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { snapshotZipChunks } from "../../convex/lib/snapshot/snapshotZip";
import { snapshotOf, tasks } from "../../convex/lib/snapshot/snapshotFixture.helpers";
import { verifySnapshotZip } from "../../convex/lib/snapshot/verify";
import { deploymentClient } from "../../convex/deployment/client";

// The deployment client over a real socket: timeouts abort a real request, and an export download
// streams (the client sees the first bytes before the server has sent the last ones).
const KEY = "self-hosted|0123456789abcdef";
let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

test("a deployment that never answers times out with a sentence, after the retries", async () => {
  let requests = 0;
  const url = await serve(() => void requests++);
  const client = deploymentClient(
    { url, deployKey: KEY },
    { timeoutMs: 150, retries: 1, sleep: async () => {} },
  );
  const started = Date.now();
  await expect(client.getLatestExport()).rejects.toMatchObject({
    data: {
      code: "DEPLOYMENT_TIMEOUT",
      message: `127.0.0.1:${new URL(url).port} did not answer within 150 ms when asked to read the latest export after 2 attempts.`,
    },
  });
  expect(requests).toBe(2);
  expect(Date.now() - started).toBeLessThan(2000);
});

test("a 503 is retried over the socket and the key arrives in the Authorization header", async () => {
  const seen: string[] = [];
  const url = await serve((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    if (seen.length === 1) {
      res
        .writeHead(503, { "Content-Type": "application/json" })
        .end('{"code":"Unavailable","message":"restarting"}');
    } else res.writeHead(200).end('{"status":"success","value":null,"logLines":[]}');
  });
  expect(
    await deploymentClient({ url, deployKey: KEY }, { sleep: async () => {} }).getLatestExport(),
  ).toBeNull();
  expect(seen).toEqual([`POST /api/query Convex ${KEY}`, `POST /api/query Convex ${KEY}`]);
});

test("an export download streams into verification before the server has finished sending", async () => {
  const zipChunks: Uint8Array[] = [];
  for await (const chunk of snapshotZipChunks(snapshotOf({ tasks: tasks(20_000) }), {
    modifiedAt: new Date(),
  }))
    zipChunks.push(chunk);
  const total = zipChunks.reduce((n, c) => n + c.length, 0);
  let clientHasBytes: () => void = () => {};
  const clientGotFirstBytes = new Promise<void>((resolve) => (clientHasBytes = resolve));
  const url = await serve(async (_req, res) => {
    res.writeHead(200, {
      "Content-Length": String(total),
      "Content-Disposition": "attachment; filename=snapshot_local_42.zip",
    });
    res.write(zipChunks[0]);
    // The rest is sent only once the client has read the first bytes: a buffering client would hang.
    await clientGotFirstBytes;
    for (const chunk of zipChunks.slice(1)) res.write(chunk);
    res.end();
  });
  const download = await deploymentClient({ url, deployKey: KEY }, { timeoutMs: 2000 }).downloadExport(42n);
  expect(download).toMatchObject({ contentLength: total, fileName: "snapshot_local_42.zip" });
  async function* signalOnFirstChunk(body: ReadableStream<Uint8Array>) {
    for await (const chunk of body) {
      clientHasBytes();
      yield chunk;
    }
  }
  const result = await verifySnapshotZip(signalOnFirstChunk(download.body), {
    expectStorage: false,
    expectedSize: total,
  });
  expect(result).toMatchObject({ ok: true, totalRows: 20_000, zipBytes: total });
});

test("a download that stalls midway fails with a timeout instead of hanging", async () => {
  const url = await serve((_req, res) => {
    res.writeHead(200, { "Content-Length": "1000" });
    res.write(new Uint8Array(100));
  });
  const download = await deploymentClient({ url, deployKey: KEY }, { timeoutMs: 200 }).downloadExport(7n);
  const started = Date.now();
  await expect(new Response(download.body).arrayBuffer()).rejects.toMatchObject({
    data: {
      code: "DEPLOYMENT_TIMEOUT",
      message: `127.0.0.1:${new URL(url).port} stopped sending data for 200 ms when asked to download the export.`,
    },
  });
  expect(Date.now() - started).toBeLessThan(2000);
});
