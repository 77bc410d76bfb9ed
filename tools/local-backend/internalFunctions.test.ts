/**
 * Internal functions over the HTTP function API, as Convex allows them: only a caller with the
 * deployment's admin key (`Authorization: Convex <key>`, what `npx convex run` sends to
 * `/api/function`) may run one; a user's token, a wrong key or no credential is told it does not
 * exist, exactly as for a missing function, and nothing runs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import {
  queryRef,
  runConvexCli,
  signSession,
  spawnBackend,
  tempDir,
  withAuth,
  type RunningBackend,
} from "./testSupport.ts";

const ADMIN_KEY = `local|${"cd34".repeat(16)}`;
const list = queryRef("messages:list");

let backend: RunningBackend;
let userToken: string;
let project: { path: string; remove(): void };

beforeAll(async () => {
  const auth = await withAuth();
  userToken = await signSession(auth.pem, { sub: "user1|session1" });
  backend = await spawnBackend({
    crons: false,
    env: { ...auth.env, CONVEX_SELF_HOSTED_ADMIN_KEY: ADMIN_KEY },
  });
  project = tempDir("internal-run-");
  writeFileSync(join(project.path, "package.json"), JSON.stringify({ dependencies: { convex: "1.48.0" } }));
});

afterAll(async () => {
  await backend?.stop();
  project?.remove();
});

/** The unmodified `npx convex run` from node_modules, pointed at the local backend. */
const convexRun = (args: string[]) =>
  runConvexCli({ url: backend.url, adminKey: ADMIN_KEY, cwd: project.path }, ["run", ...args]);

async function bodies(): Promise<string[]> {
  const rows = (await new ConvexHttpClient(backend.url).query(list, {})) as { body: string }[];
  return rows.map((row) => row.body);
}

describe("internal functions over HTTP", { timeout: 60_000 }, () => {
  it("`npx convex run` with the admin key runs an internal mutation and query", async () => {
    const run = await convexRun(["messages:internalSend", JSON.stringify({ body: "from the CLI" })]);
    expect(run.code, run.output).toBe(0);
    expect(await bodies()).toContain("from the CLI");
    const secret = await convexRun(["messages:secret"]);
    expect(secret.code, secret.output).toBe(0);
    expect(secret.output).toContain("hidden");
  });

  it("refuses a user's token, a wrong admin key and no credential, and runs nothing", async () => {
    const attempts: [string, string | undefined][] = [
      ["user", `Bearer ${userToken}`],
      ["anonymous", undefined],
    ];
    for (const [who, authorization] of attempts) {
      for (const [route, path, body] of [
        ["mutation", "messages:internalSend", `by ${who}`],
        ["function", "messages:internalSend", `by ${who} via /api/function`],
        ["query", "messages:secret", ""],
      ] as const) {
        const response = await post(route, path, { body }, authorization);
        expect(response.status, `${who} ${route}`).toBe(560);
        expect(String(response.body.errorMessage)).toContain(`Could not find public function for '${path}'`);
      }
    }
    const wrongKey = await post(
      "function",
      "messages:internalSend",
      { body: "by a wrong key" },
      `Convex local|${"00".repeat(32)}`,
    );
    expect([wrongKey.status, wrongKey.body.code]).toEqual([401, "BadAdminKey"]);
    expect((await bodies()).filter((body) => body.startsWith("by "))).toEqual([]);
  });
});

/** One call of the HTTP function API, as the Convex clients send it. */
async function post(
  route: "query" | "mutation" | "function",
  path: string,
  args: Record<string, string>,
  authorization: string | undefined,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${backend.url}/api/${route}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ path, format: "convex_encoded_json", args: route === "query" ? {} : args }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
