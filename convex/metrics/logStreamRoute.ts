import { internal } from "../_generated/api";
import { httpAction } from "../_generated/server";
import { parseLogStreamBody, SIGNATURE_HEADER, verifySignature } from "./model/logStream";

/** Well above 128 events of Convex's size; anything larger is not a log-stream batch. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function problem(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

async function sha256Hex(body: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", body);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** POST /log-stream: Convex's log stream webhook. Verifies, parses, then stores the batch in one mutation. */
export const receiveLogStream = httpAction(async (ctx, request) => {
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > MAX_BODY_BYTES) {
    return problem(413, `body over ${MAX_BODY_BYTES} bytes`);
  }
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > MAX_BODY_BYTES) {
    return problem(413, `body over ${MAX_BODY_BYTES} bytes`);
  }
  const secrets = await ctx.runQuery(internal.metrics.webhookSecrets.acceptedSecrets, {});
  if (secrets.length === 0) {
    return problem(503, "no webhook secret is configured: an admin pastes it in Settings");
  }
  if (!(await verifySignature(secrets, body, request.headers.get(SIGNATURE_HEADER)))) {
    return problem(401, `missing or invalid ${SIGNATURE_HEADER}`);
  }
  const parsed = parseLogStreamBody(new TextDecoder().decode(body));
  if (!parsed.ok) {
    return problem(400, parsed.problem);
  }
  const summary = await ctx.runMutation(internal.metrics.ingest.ingestBatch, {
    digest: await sha256Hex(body),
    events: parsed.events,
    receivedAt: Date.now(),
  });
  return Response.json(summary);
});
