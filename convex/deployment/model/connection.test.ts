import { describe, expect, test } from "vitest";
import {
  connectionFromEnvironment,
  deployKeyProblem,
  deploymentUrlProblem,
  isSameDeployment,
  normalizeDeploymentUrl,
  resolveConnection,
} from "./connection";

const KEY = "prod:happy-otter-123|0123456789abcdef0123";

describe("connected deployment settings", () => {
  test("reads the console's own variable names and the ones Convex's CLI uses for self-hosting", () => {
    expect(
      connectionFromEnvironment({ CONVEX_DEPLOYMENT_URL: "https://a.convex.cloud", CONVEX_DEPLOY_KEY: KEY }),
    ).toEqual({
      url: "https://a.convex.cloud",
      deployKey: KEY,
    });
    expect(
      connectionFromEnvironment({
        CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:3210",
        CONVEX_SELF_HOSTED_ADMIN_KEY: KEY,
      }),
    ).toEqual({ url: "http://127.0.0.1:3210", deployKey: KEY });
    expect(connectionFromEnvironment({ CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:3210" })).toBeNull();
  });

  test("a connection set in Settings wins over the environment", () => {
    const env = { CONVEX_DEPLOYMENT_URL: "https://env.convex.cloud", CONVEX_DEPLOY_KEY: KEY };
    expect(resolveConnection({ url: "https://set.convex.cloud", deployKey: KEY }, env)?.source).toBe(
      "settings",
    );
    expect(resolveConnection(null, env)).toEqual({
      url: "https://env.convex.cloud",
      deployKey: KEY,
      source: "environment",
    });
    expect(resolveConnection(null, {})).toBeNull();
  });

  test("refuses URLs that are not a deployment's base URL, with a sentence", () => {
    expect(deploymentUrlProblem("https://happy-otter-123.convex.cloud")).toBeNull();
    expect(deploymentUrlProblem("http://127.0.0.1:3210")).toBeNull();
    expect(deploymentUrlProblem("happy-otter")).toMatch(/Enter the deployment URL/);
    expect(deploymentUrlProblem("ftp://x.convex.cloud")).toMatch(/https:\/\//);
    expect(deploymentUrlProblem("https://user:pw@x.convex.cloud")).toMatch(/credentials/);
    expect(deploymentUrlProblem("https://x.convex.cloud/api")).toMatch(/without a path/);
    expect(normalizeDeploymentUrl(" https://x.convex.cloud/ ")).toBe("https://x.convex.cloud");
  });

  test("refuses keys too short to be a secret or containing spaces", () => {
    expect(deployKeyProblem(KEY)).toBeNull();
    expect(deployKeyProblem("short")).toMatch(/deploy key/);
    expect(deployKeyProblem("prod:x|0123456789 abcdef0123")).toMatch(/no spaces/);
  });

  test("recognises the console's own deployment however its URL is spelled", () => {
    expect(isSameDeployment("http://localhost:3210/", ["http://127.0.0.1:3210"])).toBe(true);
    expect(isSameDeployment("https://a.convex.cloud", [undefined, "https://a.convex.cloud"])).toBe(true);
    expect(isSameDeployment("https://a.convex.cloud", ["https://b.convex.cloud"])).toBe(false);
    expect(isSameDeployment("http://127.0.0.1:3211", ["http://127.0.0.1:3210"])).toBe(false);
  });
});
