import { expect, test } from "vitest";
import { backoffDelay, deploymentNameFromUrl, describeFailure, isRetryable, redact } from "./errors";

test("backoff doubles from the base, is capped, and jitters by ±20 %", () => {
  const at = (retry: number, random: number) =>
    backoffDelay(retry, { baseMs: 500, maxMs: 8000, random: () => random });
  expect([0, 1, 2, 3, 4, 5].map((retry) => at(retry, 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  expect(at(2, 0)).toBe(1600);
  expect(at(2, 1)).toBe(2400);
});

test("only 5xx, network errors and timeouts are retried", () => {
  expect(isRetryable({ kind: "http", status: 503 })).toBe(true);
  expect(isRetryable({ kind: "network" })).toBe(true);
  expect(isRetryable({ kind: "timeout", timeoutMs: 1 })).toBe(true);
  for (const status of [400, 401, 403, 404, 409, 429])
    expect(isRetryable({ kind: "http", status })).toBe(false);
  expect(isRetryable({ kind: "badResponse", detail: "x" })).toBe(false);
});

test("deployments are named by their cloud name or their host", () => {
  expect(deploymentNameFromUrl("https://happy-otter-123.convex.cloud")).toBe("happy-otter-123");
  expect(deploymentNameFromUrl("http://127.0.0.1:3210")).toBe("127.0.0.1:3210");
  expect(deploymentNameFromUrl("https://convex.example.com/")).toBe("convex.example.com");
  expect(deploymentNameFromUrl("not a url")).toBe("the deployment");
});

test("Convex codes map to the console's codes whatever the HTTP status", () => {
  const context = { deployment: "prod", operation: "download the export", attempts: 1 };
  expect(describeFailure({ kind: "http", status: 400, convexCode: "ExportNotComplete" }, context).code).toBe(
    "EXPORT_NOT_COMPLETE",
  );
  expect(
    describeFailure({ kind: "http", status: 400, convexCode: "CannotCancelImport" }, context).message,
  ).toBe("That import on prod has already finished, so it cannot be canceled.");
  expect(describeFailure({ kind: "http", status: 401, convexCode: "ExportInProgress" }, context).code).toBe(
    "DEPLOYMENT_KEY_REFUSED",
  );
});

test("redact removes every occurrence of the secret", () => {
  expect(redact("a SECRET b SECRET", "SECRET")).toBe("a [redacted] b [redacted]");
  expect(redact("text", "")).toBe("text");
});
