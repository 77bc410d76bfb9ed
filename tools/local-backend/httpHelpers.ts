/** Small HTTP helpers shared by the function API and the site (HTTP actions) proxy. */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export class BodyTooLarge extends Error {}

/**
 * Reads a request body up to `limit` bytes. Past the limit the rest is drained (so the client
 * can finish sending and read the 413 instead of seeing a reset), up to a hard cap.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers["content-length"] ?? "0") > limit;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > limit * 4 + 64 * 1024 * 1024) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new BodyTooLarge()) : resolveBody(Buffer.concat(chunks))));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new BodyTooLarge());
    });
  });
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Authorization, Convex-Client",
  "Access-Control-Max-Age": "86400",
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...CORS_HEADERS, ...extra });
  res.end(text);
}

/** An error the admin API answers as Convex does: `{code, message}` with an HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
