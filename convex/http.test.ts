import { describe, expect, test } from "vitest";
import packageJson from "../package.json";
import { newBackend } from "./test.helpers";

describe("GET /api/health", () => {
  test("answers ok with the console's version and the server time", async () => {
    const t = await newBackend();
    const before = Date.now();
    const response = await t.fetch("/api/health", { method: "GET" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { status: string; version: string; serverTime: string };
    expect(body.status).toBe("ok");
    expect(body.version).toBe(packageJson.version);
    expect(Date.parse(body.serverTime)).toBeGreaterThanOrEqual(before - 1000);
  });

  test("unknown paths are 404", async () => {
    const t = await newBackend();
    const response = await t.fetch("/api/nothing-here", { method: "GET" });
    expect(response.status).toBe(404);
  });
});
