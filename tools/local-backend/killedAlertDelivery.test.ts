/**
 * Alert delivery survives a kill -9 of the backend in the middle of a send: the outbox row stays
 * pending and the channel's lease runs out; nothing resends it by itself (the killed action's job
 * is failed, as Convex fails an action whose run was lost), and the evaluation cron's resume step
 * restarts delivery, so the receiver gets every notification, in order. The test runs that cron
 * function itself with the admin key instead of waiting for its minute.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { LEASE_MS } from "../../convex/alerts/deliver.ts";
import { generateSecretsKey } from "../../convex/lib/secretBox.ts";
import { generateAdminKey } from "./adminKey.ts";
import { generateAuthKeys } from "./authKeys.ts";
import {
  HERE,
  actionRef,
  mutationRef,
  queryRef,
  spawnBackend,
  tempDir,
  waitFor,
  type RunningBackend,
} from "./testSupport.ts";

const PROJECT_CONVEX = join(HERE, "..", "..", "convex");
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type Sink = { url: string; requests: string[]; answered: string[]; hang: boolean };

/** A webhook receiver: records each request's dedupe key; while `hang` is set it never answers. */
async function startSink(): Promise<Sink> {
  const sink: Sink = { url: "", requests: [], answered: [], hang: true };
  const held: ServerResponse[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const key = String(request.headers["x-alert-dedupe-key"]);
    request.resume();
    request.on("end", () => {
      sink.requests.push(key);
      if (sink.hang) {
        held.push(response);
        return;
      }
      sink.answered.push(key);
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.close(() => resolve());
      }),
  );
  return sink;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("alert delivery when the backend is killed mid-send", { timeout: 90_000 }, () => {
  it("loses no notification: after a restart the receiver gets each one, in order", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const keys = await generateAuthKeys();
    const env = {
      JWKS: keys.JWKS,
      JWT_PRIVATE_KEY: keys.JWT_PRIVATE_KEY,
      SITE_URL: "http://127.0.0.1:5173",
      // The same key after the restart, or the sealed channel URL could not be opened.
      CONSOLE_SECRETS_KEY: generateSecretsKey(),
      CONVEX_SELF_HOSTED_ADMIN_KEY: generateAdminKey(),
    };
    /** The evaluation cron's function, run as `npx convex run` runs it (crons are off here). */
    const runEvaluationCron = async (backend: RunningBackend) => {
      const response = await fetch(`${backend.url}/api/function`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Convex ${env.CONVEX_SELF_HOSTED_ADMIN_KEY}`,
        },
        body: JSON.stringify({ path: "alerts/evaluate:evaluate", format: "convex_encoded_json", args: {} }),
      });
      expect(((await response.json()) as { status: string }).status).toBe("success");
    };
    const start = async (ports?: RunningBackend) => {
      const backend = await spawnBackend({
        convexDir: PROJECT_CONVEX,
        dataDir: dir.path,
        env,
        crons: false,
        ...(ports ? { port: ports.port, sitePort: ports.sitePort } : {}),
      });
      cleanups.push(() => backend.kill());
      return backend;
    };
    const sink = await startSink();
    const first = await start();

    const http = new ConvexHttpClient(first.url);
    const signedUp = (await http.action(actionRef("auth:signIn"), {
      provider: "password",
      params: { email: "admin@example.com", password: "Correct-Horse-Battery-9!", flow: "signUp" },
    })) as { tokens: { token: string } };
    http.setAuth(signedUp.tokens.token);
    await http.mutation(mutationRef("alerts/alerts:addChannel"), {
      name: "sink",
      kind: "webhook",
      url: sink.url,
      secret: "a-signing-secret-for-the-sink",
    });
    const [channel] = (await http.query(queryRef("alerts/alerts:channels"), {})) as { _id: string }[];
    await http.mutation(mutationRef("alerts/alerts:sendTest"), { channelId: channel!._id });
    await http.mutation(mutationRef("alerts/alerts:sendTest"), { channelId: channel!._id });

    // The first notification is on the wire, unanswered: kill -9 now.
    await waitFor(() => sink.requests.length === 1, 30_000, "the first send");
    const leaseEnds = Date.now() + LEASE_MS;
    await first.kill();
    const inFlight = sink.requests[0]!;
    sink.hang = false;

    const second = await start(first);
    // Past the dead sender's lease nothing has been sent again: only the resume step can do it.
    await sleep(leaseEnds + 1_000 - Date.now());
    expect(sink.requests).toEqual([inFlight]);
    await runEvaluationCron(second);
    await waitFor(() => sink.answered.length >= 2, 15_000, "delivery resumed by the evaluation cron");
    // The one killed mid-send is sent again with the same id, then the next: nothing lost, in order.
    expect(sink.answered[0]).toBe(inFlight);
    expect(new Set(sink.answered).size).toBe(2);

    const client = new ConvexHttpClient(second.url);
    client.setAuth(signedUp.tokens.token);
    const log = (await client.query(queryRef("alerts/alerts:deliveryLog"), {})) as {
      ok: boolean;
      httpStatus: number | null;
    }[];
    expect(log.filter((attempt) => attempt.ok)).toHaveLength(2);
  });
});
