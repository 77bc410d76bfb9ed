/**
 * The site URL: passes each request to the deployment's HTTP actions (convex/http.ts) and their
 * response back, answering only once the action's writes are durable.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "./convexTestAdapter.ts";
import { BodyTooLarge, readBody } from "./httpHelpers.ts";
import type { FunctionRunner } from "./functionRunner.ts";

export function siteHandler(engine: Engine, runner: FunctionRunner, maxBodyBytes: number) {
  return async function handleSite(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? "GET";
    let body: Buffer | undefined;
    if (method !== "GET" && method !== "HEAD") {
      try {
        body = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.writeHead(413, { "Content-Type": "text/plain", Connection: "close" });
          res.end("Payload Too Large");
          return;
        }
        throw error;
      }
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      else headers.set(k, v);
    }
    // HTTP actions see no identity for a bad token, like Convex.
    const identity = await runner
      .callerFromRequest(req, new URL(req.url ?? "/", "http://site"))
      .then((caller) => caller.identity)
      .catch(() => null);
    const response = await engine.fetch(
      req.url ?? "/",
      { method, headers, ...(body !== undefined && body.length > 0 ? { body: new Uint8Array(body) } : {}) },
      identity,
    );
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      if (key !== "set-cookie") outHeaders[key] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, outHeaders);
    res.end(method === "HEAD" ? undefined : bytes);
  };
}
