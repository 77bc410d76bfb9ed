/**
 * Auth against the local backend: JWTs (RS256) verified against the JWKS env var with issuer =
 * CONVEX_SITE_URL and audience "convex" (the fixture's auth.config.ts), over both clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexHttpClient } from "convex/browser";
import {
  AUTH_SITE,
  queryRef,
  signSession,
  spawnBackend,
  waitFor,
  webSocketClients,
  withAuth,
  type RunningBackend,
} from "./testSupport.ts";

const whoami = queryRef("messages:whoami");

let backend: RunningBackend;
let sign: (claims: { sub: string; exp?: number; aud?: string; iss?: string }) => Promise<string>;
let otherKeySign: (sub: string) => Promise<string>;
const clients = webSocketClients(() => backend.url);
const client = clients.client;

beforeAll(async () => {
  const auth = await withAuth();
  const other = await withAuth();
  sign = (claims) => signSession(auth.pem, claims);
  otherKeySign = (sub) => signSession(other.pem, { sub });
  backend = await spawnBackend({ crons: false, env: auth.env });
});

afterAll(async () => {
  await clients.closeAll();
  await backend?.stop();
});

describe("auth", { timeout: 30_000 }, () => {
  it("sets and clears auth on a WebSocket client; identity is built like Convex", async () => {
    const c = client();
    let identity: unknown = "unset";
    c.onUpdate(whoami, {}, (v: unknown) => (identity = v));
    await waitFor(() => identity === null, 5000, "anonymous identity");
    const token = await sign({ sub: "user1|session1" });
    const changes: boolean[] = [];
    c.setAuth(
      async () => token,
      (isAuthenticated) => changes.push(isAuthenticated),
    );
    await waitFor(() => identity !== null && identity !== "unset", 5000, "identity");
    expect(identity).toEqual({
      subject: "user1|session1",
      issuer: AUTH_SITE,
      tokenIdentifier: `${AUTH_SITE}|user1|session1`,
    });
    await waitFor(() => changes.includes(true), 5000, "onChange(true)");
    c.client.clearAuth();
    await waitFor(() => identity === null, 5000, "cleared identity");
  });

  it("rejects expired, foreign-key and wrong-audience tokens with AuthError", async () => {
    for (const makeToken of [
      () => sign({ sub: "u|s", exp: Math.floor(Date.now() / 1000) - 60 }),
      () => otherKeySign("u|s"),
      () => sign({ sub: "u|s", aud: "someone-else" }),
      () => sign({ sub: "u|s", iss: "https://evil.test" }),
    ]) {
      const token = await makeToken();
      const c = client();
      let identity: unknown = "unset";
      c.onUpdate(whoami, {}, (v: unknown) => (identity = v));
      const changes: boolean[] = [];
      c.setAuth(
        async () => token,
        (ok) => changes.push(ok),
      );
      await waitFor(() => changes.includes(false), 10_000, "onChange(false)");
      expect(changes).not.toContain(true);
      await waitFor(() => identity === null, 10_000, "unauthenticated result");
      await c.close();
    }
  });

  it("sends AuthError and closes when the token in use expires", async () => {
    const ws = new WebSocket(`${backend.url.replace("http", "ws")}/api/1.48.0/sync`);
    const messages: { type: string; [k: string]: unknown }[] = [];
    let closed = false;
    ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
    ws.on("close", () => (closed = true));
    await new Promise((r) => ws.once("open", r));
    const token = await sign({ sub: "short|s", exp: Math.floor(Date.now() / 1000) + 2 });
    ws.send(JSON.stringify({ type: "Connect", sessionId: "s", connectionCount: 0, lastCloseReason: null }));
    ws.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: token, baseVersion: 0 }));
    await waitFor(() => messages.some((m) => m.type === "Transition"), 5000, "auth transition");
    expect((messages[0]!.endVersion as { identity: number }).identity).toBe(1);
    await new Promise((r) => setTimeout(r, 2600));
    ws.send(
      JSON.stringify({
        type: "Mutation",
        requestId: 0,
        udfPath: "messages:send",
        args: [{ author: "a", body: "b" }],
      }),
    );
    await waitFor(() => closed, 5000, "close");
    expect(messages.find((m) => m.type === "AuthError")).toMatchObject({
      error: "Token expired",
      authUpdateAttempted: false,
      baseVersion: 0,
    });
    expect(messages.some((m) => m.type === "MutationResponse")).toBe(false);
  });

  it("verifies Bearer tokens on the HTTP API and HTTP actions", async () => {
    const http = new ConvexHttpClient(backend.url);
    expect(await http.query(whoami, {})).toBeNull();
    http.setAuth(await sign({ sub: "httpuser|s" }));
    expect(await http.query(whoami, {})).toMatchObject({
      subject: "httpuser|s",
      tokenIdentifier: `${AUTH_SITE}|httpuser|s`,
    });
    http.setAuth(await sign({ sub: "x|y", exp: Math.floor(Date.now() / 1000) - 5 }));
    const err = await http.query(whoami, {}).catch((e: unknown) => e);
    expect(String(err)).toContain("Token expired");

    const res = await fetch(`${backend.siteUrl}/whoami`, {
      headers: { Authorization: `Bearer ${await sign({ sub: "site|s" })}` },
    });
    expect(await res.json()).toMatchObject({ subject: "site|s", issuer: AUTH_SITE });
  });
});
