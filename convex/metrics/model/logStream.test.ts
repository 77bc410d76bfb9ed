import { describe, expect, test } from "vitest";
import { MAX_EVENTS_PER_BATCH, parseLogStreamBody, signBody, verifySignature } from "./logStream";

const EXAMPLE =
  '{"topic":"function_execution","timestamp":1715973841548,"convex":{"deployment_name":"tall-sheep-123","deployment_type":"prod","project_name":"app","project_slug":"app"},"function":{"path":"tasks:list","type":"query","cached":false,"request_id":"892104e63bd39d9a"},"execution_time_ms":294,"status":"success","error_message":null,"run_reason":"initialSubscription","usage":{"database_io_read_bytes":1077,"database_io_write_bytes":0,"database_read_documents":3,"database_write_documents":0,"function_args_bytes":12,"function_returns_bytes":843}}';
const VERIFICATION =
  '{"topic":"verification","timestamp":1715973841000,"convex":{"deployment_name":"tall-sheep-123","deployment_type":"prod","project_name":"app","project_slug":"app"},"message":"Convex connection test"}';

describe("parseLogStreamBody", () => {
  test("reads Convex's json format (an array)", () => {
    const result = parseLogStreamBody(`[${EXAMPLE},${VERIFICATION}]`);
    expect(result.ok && result.events.map((event) => event.topic)).toEqual([
      "function_execution",
      "verification",
    ]);
  });

  test("reads Convex's jsonl format, with or without a trailing newline", () => {
    for (const body of [`${EXAMPLE}\n${VERIFICATION}`, `${EXAMPLE}\r\n${VERIFICATION}\n`]) {
      const result = parseLogStreamBody(body);
      expect(result.ok && result.events).toHaveLength(2);
    }
  });

  test("keeps null optional fields as null", () => {
    const result = parseLogStreamBody(EXAMPLE);
    expect(result.ok && result.events[0]!.error_message).toBeNull();
  });

  test.each([
    ["", "the body is empty"],
    ["[1,", "the body is not valid JSON"],
    [`${EXAMPLE}\n{oops`, "line 2 is not valid JSON"],
    ['[{"timestamp":1}]', 'event 1 has no "topic"'],
    ['{"topic":"console","timestamp":"yesterday"}', 'line 1 has no numeric "timestamp"'],
    ["[[]]", "event 1 is not a JSON object"],
  ])("refuses %j: %s", (body, problem) => {
    expect(parseLogStreamBody(body)).toEqual({ ok: false, problem });
  });

  test("refuses batches larger than Convex sends", () => {
    const body = `[${Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => VERIFICATION).join(",")}]`;
    expect(parseLogStreamBody(body)).toEqual({
      ok: false,
      problem: "the batch has 129 events; Convex sends at most 128",
    });
  });
});

describe("verifySignature", () => {
  const secret = "3f1c2a9be0d44c5aa7c1e2f3a4b5c6d7";
  const body = new TextEncoder().encode(`[${EXAMPLE}]`);

  test("matches an independent HMAC-SHA256 of the raw body", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    expect(await signBody(secret, body)).toBe(expected);
  });

  test("accepts the right signature, refuses a wrong, missing or tampered one", async () => {
    const signature = await signBody(secret, body);
    expect(await verifySignature([secret], body, signature)).toBe(true);
    expect(await verifySignature([secret], body, signature.toUpperCase().replace("SHA256", "sha256"))).toBe(
      true,
    );
    expect(await verifySignature(["another-secret"], body, signature)).toBe(false);
    expect(await verifySignature([secret], body, null)).toBe(false);
    const tampered = new TextEncoder().encode(`[${EXAMPLE.replace("294", "295")}]`);
    expect(await verifySignature([secret], tampered, signature)).toBe(false);
  });

  test("during a rotation both the old and the new secret verify", async () => {
    const signedWithOld = await signBody("old-secret", body);
    expect(await verifySignature(["new-secret", "old-secret"], body, signedWithOld)).toBe(true);
    expect(await verifySignature(["new-secret"], body, signedWithOld)).toBe(false);
  });
});
