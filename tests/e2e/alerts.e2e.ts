/**
 * Alerts end to end: a real local backend whose crons evaluate the rules every minute, a signed
 * log stream pushing the error rate over 1 %, and a local HTTP sink standing in for the receiver.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { signBody } from "../../convex/metrics/model/logStream";
import { expectAccessible, postLogStreamBatch, signUpFirstAdmin, stackForThisFile } from "./harness";

const stack = stackForThisFile();
const SIGNING_SECRET = "journey-signing-secret-0123456789";
const RULE = "Error rate above 1 %";

type Received = { status: string; rule: string; signatureOk: boolean };
const received: Received[] = [];
let sink: Server;
let sinkUrl: string;

beforeAll(async () => {
  sink = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const raw = new Uint8Array(Buffer.concat(chunks));
        const body = JSON.parse(new TextDecoder().decode(raw)) as {
          status: string;
          alerts: { labels: Record<string, string> }[];
        };
        received.push({
          status: body.status,
          rule: body.alerts[0]?.labels.rule ?? "",
          signatureOk: request.headers["x-webhook-signature"] === (await signBody(SIGNING_SECRET, raw)),
        });
        response.writeHead(200).end("ok");
      })();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => sink.close(resolve));
});

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

let sequence = 0;
function executions(count: number, failures: number) {
  return Array.from({ length: count }, (_, index) => {
    sequence += 1;
    return {
      topic: "function_execution",
      timestamp: Date.now() - 1000,
      convex: {
        deployment_name: "alerts-prod",
        deployment_type: "prod",
        project_name: "shop",
        project_slug: "shop",
      },
      function: { path: "orders:list", type: "query", cached: false, request_id: `alert-${sequence}` },
      execution_time_ms: 30,
      status: index < failures ? "failure" : "success",
      error_message: index < failures ? "Uncaught Error: payment provider down" : null,
      usage: { database_read_documents: 3 },
    };
  });
}

function errorRateAlert(page: Page) {
  return page.getByRole("list", { name: "Open alerts" }).getByRole("listitem", { name: RULE, exact: true });
}

async function bothSizes(page: Page, name: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await expectAccessible(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectAccessible(page, `${name}-390`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("an error rate over 1 % goes Pending, Firing, reaches the sink signed, is acknowledged, silenced and resolves", async () => {
  const page = await signUpFirstAdmin(stack);
  await page.goto(`${stack.appUrl}/alerts`);

  // Notifications go at once (no group wait or interval) and the rule waits one minute, not five.
  const policy = page.getByRole("form", { name: "Notification policy" });
  await policy.getByLabel("Group wait (s)").fill("0");
  await policy.getByLabel("Group interval (min)").fill("0");
  await policy.getByRole("button", { name: "Save policy" }).click();
  // The first evaluation (within a minute of start) stores the built-in rules.
  const edit = page.getByRole("button", { name: `Edit ${RULE}` });
  await edit.waitFor({ timeout: 90_000 });
  await edit.click();
  const editor = page.getByRole("form", { name: `Edit ${RULE}` });
  await editor.getByLabel("Pending period (min)").fill("1");
  await editor.getByRole("button", { name: "Save rule" }).click();
  await editor.waitFor({ state: "detached" });

  const channel = page.getByRole("form", { name: "Add a channel" });
  await channel.getByLabel("Name").fill("journey sink");
  await channel.getByLabel("URL").fill(sinkUrl);
  await channel.getByLabel("Signing secret (16+ characters)").fill(SIGNING_SECRET);
  await channel.getByRole("button", { name: "Add channel" }).click();
  await page.getByRole("list", { name: "Channels" }).getByText("journey sink").waitFor();

  await postLogStreamBatch(stack, executions(100, 3));
  await waitUntil(
    async () => (await errorRateAlert(page).getByText("Pending", { exact: true }).count()) > 0,
    "the alert is Pending",
  );
  await waitUntil(
    async () => (await errorRateAlert(page).getByText("Firing", { exact: true }).count()) > 0,
    "the alert is Firing",
  );
  await bothSizes(page, "alerts-01-firing");

  await waitUntil(
    async () => received.some((notice) => notice.rule === "error-rate" && notice.status === "firing"),
    "the sink received the firing notification",
    60_000,
  );
  expect(
    received.filter((notice) => notice.rule === "error-rate").every((notice) => notice.signatureOk),
  ).toBe(true);

  await page.goto(`${stack.appUrl}/?deployment=alerts-prod`);
  await page
    .getByRole("region", { name: /firing/ })
    .getByText(RULE)
    .waitFor();
  await bothSizes(page, "alerts-02-overview-strip");

  await page.goto(`${stack.appUrl}/alerts`);
  const alert = errorRateAlert(page);
  await alert.getByLabel("Note").fill("Payment provider outage, failing over");
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await alert.getByText(/Payment provider outage, failing over/).waitFor();

  const silence = page.getByRole("form", { name: "Add a silence" });
  await silence.getByLabel("Rule").selectOption({ label: RULE });
  await silence.getByLabel("Minutes").fill("10");
  await silence.getByLabel("Comment").fill("Failing over; expect noise");
  await silence.getByRole("button", { name: "Add silence" }).click();
  await page.getByRole("list", { name: "Silences" }).getByText("Failing over; expect noise").waitFor();
  await bothSizes(page, "alerts-03-acknowledged-silenced");

  // The error rate falls: enough successes in the window to bring it under the 0.8 % recovery threshold.
  for (let batch = 0; batch < 12; batch++) await postLogStreamBatch(stack, executions(125, 0));
  await waitUntil(async () => (await errorRateAlert(page).count()) === 0, "the alert resolved");
  await waitUntil(
    async () => received.some((notice) => notice.rule === "error-rate" && notice.status === "resolved"),
    "the sink received the resolved notification",
    60_000,
  );
  expect(received.filter((notice) => notice.rule === "error-rate").map((notice) => notice.status)).toEqual([
    "firing",
    "resolved",
  ]);
  await bothSizes(page, "alerts-04-resolved");
}, 420_000);
