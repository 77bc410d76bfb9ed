/**
 * Conformance of the local backend with the real `convex` clients (ConvexClient over `ws`,
 * ConvexHttpClient), against the fixture convex/ folder, in a real child process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { ConvexError } from "convex/values";
import {
  actionRef,
  errorData,
  mutationRef,
  queryRef,
  spawnBackend,
  waitFor,
  webSocketClients,
  type RunningBackend,
} from "./testSupport.ts";

const q = queryRef;
const m = mutationRef;
const a = actionRef;

type Message = { _id: string; author: string; body: string; rank: number };

let backend: RunningBackend;
const clients = webSocketClients(() => backend.url);
const client = clients.client;

/** Subscribes and keeps the latest value / error. */
function watch<T>(c: ConvexClient, name: string, args: Record<string, unknown> = {}) {
  const state: { value: T | undefined; error: Error | undefined; updates: number } = {
    value: undefined,
    error: undefined,
    updates: 0,
  };
  const unsubscribe = c.onUpdate(
    q(name),
    args,
    (v: unknown) => {
      state.value = v as T;
      state.error = undefined;
      state.updates += 1;
    },
    (e: Error) => {
      state.error = e;
      state.updates += 1;
    },
  );
  return { state, unsubscribe };
}

/** A raw protocol client for wire-level checks. */
async function rawSocket(url: string) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/api/1.48.0/sync`);
  const messages: { type: string; [key: string]: unknown }[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
  ws.on("close", (code, reason) => (closed = { code, reason: reason.toString() }));
  await new Promise((r, j) => {
    ws.once("open", r);
    ws.once("error", j);
  });
  ws.send(
    JSON.stringify({
      type: "Connect",
      sessionId: "00000000-0000-4000-8000-000000000000",
      connectionCount: 0,
      lastCloseReason: null,
    }),
  );
  return { ws, messages, closed: () => closed };
}

/** A raw sync connection whose first query set subscribes `udfPath` under `queryId`. */
async function subscribedSocket(queryId: number, udfPath: string, args: Record<string, unknown>) {
  const raw = await rawSocket(backend.url);
  raw.ws.send(
    JSON.stringify({
      type: "ModifyQuerySet",
      baseVersion: 0,
      newVersion: 1,
      modifications: [{ type: "Add", queryId, udfPath, args: [args] }],
    }),
  );
  return raw;
}

beforeAll(async () => {
  backend = await spawnBackend({ crons: false });
});

afterAll(async () => {
  await clients.closeAll();
  await backend?.stop();
});

describe("sync protocol with ConvexClient", { timeout: 30_000 }, () => {
  it("pushes subscription updates after mutations from another client", async () => {
    const reader = client();
    const writer = client();
    const { state } = watch<Message[]>(reader, "messages:list");
    await waitFor(() => state.value !== undefined, 5000, "initial result");
    const before = state.value!.length;
    await writer.mutation(m("messages:send"), { author: "writer", body: "hello from B" });
    await waitFor(() => state.value!.length === before + 1, 5000, "update");
    expect(
      state.value!.at(-1)?.body === "hello from B" || state.value!.some((x) => x.body === "hello from B"),
    ).toBe(true);
  });

  it("resolves each mutation only once its own subscriptions reflect it, in order", async () => {
    const c = client();
    const { state } = watch<number>(c, "messages:count");
    await waitFor(() => state.value !== undefined, 5000, "initial count");
    const start = state.value!;
    const order: number[] = [];
    const seenAtResolve: number[] = [];
    const promises = Array.from({ length: 15 }, (_, i) =>
      c.mutation(m("messages:send"), { author: "order", body: `m${i}`, rank: 1e15 + i }).then(() => {
        order.push(i);
        seenAtResolve.push(c.client.localQueryResult("messages:count", {}) as number);
      }),
    );
    await Promise.all(promises);
    expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
    // When mutation i resolves, the subscribed count already includes it.
    seenAtResolve.forEach((count, i) => expect(count).toBeGreaterThanOrEqual(start + i + 1));
  });

  it("preserves ConvexError data for mutations, queries and the HTTP client", async () => {
    const c = client();
    const err = await c.mutation(m("messages:failWithData"), { code: "QUOTA" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConvexError);
    expect(errorData(err)).toEqual({ code: "QUOTA", detail: "structured", n: 42 });

    const { state } = watch(c, "messages:queryFailWithData");
    await waitFor(() => state.error !== undefined, 5000, "query error");
    expect(state.error).toBeInstanceOf(ConvexError);
    expect(errorData(state.error)).toEqual({ code: "UNAUTHORIZED" });

    const http = new ConvexHttpClient(backend.url);
    const httpErr = await http
      .mutation(m("messages:failWithData"), { code: "HTTP" })
      .catch((e: unknown) => e);
    expect(httpErr).toBeInstanceOf(ConvexError);
    expect(errorData(httpErr)).toEqual({ code: "HTTP", detail: "structured", n: 42 });

    const plain = await c.mutation(m("messages:failPlain"), {}).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(Error);
    expect(plain).not.toBeInstanceOf(ConvexError);
    expect(String((plain as Error).message)).toContain("Uncaught Error: plain failure");
  });

  it("reports unknown and internal functions like Convex", async () => {
    const c = client();
    const err = await c.mutation(m("nope:nothing"), {}).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain("Could not find public function for 'nope:nothing'");
    const http = new ConvexHttpClient(backend.url);
    const internal = await http.query(q("messages:secret"), {}).catch((e: unknown) => e);
    expect(String((internal as Error).message)).toContain(
      "Could not find public function for 'messages:secret'",
    );
    const { state } = watch(c, "nope:query");
    await waitFor(() => state.error !== undefined, 5000, "query error");
    expect(state.error!.message).toContain("Could not find public function for 'nope:query'");
  });

  it("updates subscriptions after an action's runMutation, a scheduled function and an HTTP action", async () => {
    const c = client();
    const { state } = watch<Message[]>(c, "messages:list");
    await waitFor(() => state.value !== undefined, 5000, "initial");
    expect(await c.action(a("messages:sendViaAction"), { body: "via action" })).toBe("sent");
    await waitFor(() => state.value!.some((x) => x.body === "via action"), 5000, "action write");

    await c.mutation(m("messages:scheduleSend"), { body: "via scheduler", delayMs: 300 });
    expect(state.value!.some((x) => x.body === "via scheduler")).toBe(false);
    await waitFor(() => state.value!.some((x) => x.body === "via scheduler"), 5000, "scheduled write");

    const res = await fetch(`${backend.siteUrl}/write`, { method: "POST", body: "via http action" });
    expect(res.status).toBe(204);
    await waitFor(() => state.value!.some((x) => x.body === "via http action"), 5000, "http action write");
  });

  it("keeps paginated pages from drifting when rows are inserted (query journals)", async () => {
    const c = client();
    const writer = new ConvexHttpClient(backend.url);
    // Ranks far below everything else so these rows come first in by_rank order.
    for (const rank of [10, 20, 30, 40, 50, 60]) {
      await writer.mutation(m("messages:send"), { author: "page", body: `r${rank}`, rank });
    }
    type Page = { page: Message[]; continueCursor: string; isDone: boolean };
    const first = watch<Page>(c, "messages:page", { paginationOpts: { numItems: 3, cursor: null } });
    await waitFor(() => first.state.value !== undefined, 5000, "page 1");
    expect(first.state.value!.page.map((x) => x.rank)).toEqual([10, 20, 30]);
    const second = watch<Page>(c, "messages:page", {
      paginationOpts: { numItems: 3, cursor: first.state.value!.continueCursor },
    });
    await waitFor(() => second.state.value !== undefined, 5000, "page 2");
    expect(second.state.value!.page.map((x) => x.rank)).toEqual([40, 50, 60]);

    await writer.mutation(m("messages:send"), { author: "page", body: "r25", rank: 25 });
    // Page 1 grows instead of pushing row 30 onto page 2; page 2 is unchanged.
    await waitFor(() => first.state.value!.page.length === 4, 5000, "page 1 grows");
    expect(first.state.value!.page.map((x) => x.rank)).toEqual([10, 20, 25, 30]);
    expect(second.state.value!.page.map((x) => x.rank)).toEqual([40, 50, 60]);
  });

  it("delivers a result larger than 1 MB over the socket and over HTTP", async () => {
    const writer = new ConvexHttpClient(backend.url);
    await writer.mutation(m("big:fill"), { count: 24, size: 60_000 });
    const c = client();
    const { state } = watch<{ data: string }[]>(c, "big:all");
    await waitFor(() => state.value !== undefined, 10_000, "big result");
    const bytes = state.value!.reduce((n, d) => n + d.data.length, 0);
    expect(bytes).toBeGreaterThan(1_000_000);
    const viaHttp = (await writer.query(q("big:all"), {})) as { data: string }[];
    expect(viaHttp.length).toBe(24);
  });
});

describe("wire-level behaviour", { timeout: 30_000 }, () => {
  it("only re-runs queries whose tables were written", async () => {
    const raw = await subscribedSocket(0, "counters:get", { name: "x" });
    await waitFor(() => raw.messages.some((msg) => msg.type === "Transition"), 5000, "first transition");
    const first = raw.messages.find((msg) => msg.type === "Transition")!;
    expect(first.startVersion).toEqual({ querySet: 0, identity: 0, ts: "AAAAAAAAAAA=" });
    expect((first.endVersion as { querySet: number }).querySet).toBe(1);
    expect(first.modifications).toEqual([
      { type: "QueryUpdated", queryId: 0, value: 0, logLines: [], journal: null },
    ]);
    const count = raw.messages.length;
    // Writes to `messages` must not re-run a query that only read `counters`.
    const http = new ConvexHttpClient(backend.url);
    await http.mutation(m("messages:send"), { author: "x", body: "unrelated" });
    await new Promise((r) => setTimeout(r, 300));
    expect(raw.messages.slice(count).filter((msg) => msg.type === "Transition")).toEqual([]);
    raw.ws.close();
  });

  it("closes a connection that sends a malformed or unknown message and keeps serving others", async () => {
    const bad = await rawSocket(backend.url);
    bad.ws.send("this is not json");
    await waitFor(() => bad.closed(), 5000, "close");
    expect(bad.messages.some((msg) => msg.type === "FatalError")).toBe(true);

    const unknown = await rawSocket(backend.url);
    unknown.ws.send(JSON.stringify({ type: "Teleport" }));
    await waitFor(() => unknown.closed(), 5000, "close");
    expect(unknown.messages.find((msg) => msg.type === "FatalError")?.error).toContain(
      "Unknown message type",
    );

    const wrongVersion = await rawSocket(backend.url);
    wrongVersion.ws.send(
      JSON.stringify({ type: "ModifyQuerySet", baseVersion: 5, newVersion: 6, modifications: [] }),
    );
    await waitFor(() => wrongVersion.closed(), 5000, "close");

    const http = new ConvexHttpClient(backend.url);
    expect(typeof (await http.query(q("messages:count"), {}))).toBe("number");
  });

  it("answers /version, 413 for oversized bodies, and 400 for bad JSON", async () => {
    const version = await fetch(`${backend.url}/version`);
    expect(version.status).toBe(200);
    expect(await version.text()).toContain("local-backend");
    const huge = JSON.stringify({
      path: "messages:send",
      args: [{ author: "x", body: "y".repeat(17 * 1024 * 1024) }],
    });
    const tooBig = await fetch(`${backend.url}/api/mutation`, {
      method: "POST",
      body: huge,
      headers: { "content-type": "application/json" },
    });
    expect(tooBig.status).toBe(413);
    const tooBigSite = await fetch(`${backend.siteUrl}/echo`, { method: "POST", body: huge });
    expect(tooBigSite.status).toBe(413);
    const badJson = await fetch(`${backend.url}/api/query`, { method: "POST", body: "{nope" });
    expect(badJson.status).toBe(400);
  });

  it("returns console output of functions as logLines", async () => {
    const res = await fetch(`${backend.url}/api/query`, {
      method: "POST",
      body: JSON.stringify({ path: "messages:noisy", format: "convex_encoded_json", args: [{}] }),
    });
    expect(await res.json()).toEqual({
      status: "success",
      value: 1,
      logLines: ["[LOG] 'hello' 42", "[WARN] { careful: true }"],
    });
    const raw = await subscribedSocket(7, "messages:noisy", {});
    await waitFor(() => raw.messages.some((msg) => msg.type === "Transition"), 5000, "transition");
    const transition = raw.messages.find((msg) => msg.type === "Transition")!;
    expect((transition.modifications as { logLines: string[] }[])[0]!.logLines).toEqual([
      "[LOG] 'hello' 42",
      "[WARN] { careful: true }",
    ]);
    raw.ws.close();
  });

  it("passes real headers and bodies through to HTTP actions", async () => {
    const res = await fetch(`${backend.siteUrl}/echo?x=1`, {
      method: "POST",
      body: "raw body ✓",
      headers: { "x-test": "header value" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-reply")).toBe("yes");
    expect(await res.json()).toEqual({
      body: "raw body ✓",
      method: "POST",
      url: `${backend.siteUrl}/echo?x=1`,
      header: "header value",
    });
    const missing = await fetch(`${backend.siteUrl}/no-such-route`);
    expect(missing.status).toBe(404);
  });

  it("serves file uploads and downloads through storage URLs", async () => {
    const http = new ConvexHttpClient(backend.url);
    const uploadUrl = (await http.mutation(m("files:generateUploadUrl"), {})) as string;
    expect(uploadUrl.startsWith(`${backend.url}/api/storage/upload`)).toBe(true);
    const upload = await fetch(uploadUrl, {
      method: "POST",
      body: "file contents",
      headers: { "Content-Type": "text/plain" },
    });
    expect(upload.status).toBe(200);
    const { storageId } = (await upload.json()) as { storageId: string };
    await http.mutation(m("files:save"), { storageId, name: "notes.txt" });
    const files = (await http.query(q("files:list"), {})) as { name: string; url: string }[];
    const file = files.find((f) => f.name === "notes.txt")!;
    const download = await fetch(file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("text/plain");
    expect(await download.text()).toBe("file contents");
  });
});
