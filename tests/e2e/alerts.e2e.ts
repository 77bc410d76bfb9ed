/**
 * Alerts end to end: a real local backend, a signed log stream pushing the error rate over 1 %, and
 * a local HTTP sink standing in for the receiver. The journey runs the evaluation cron's function
 * itself (with the admin key, as `npx convex run` does) between steps instead of waiting for its minute.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { api, internal } from "../../convex/_generated/api";
import { signBody } from "../../convex/metrics/model/logStream";
import {
  clientAs,
  expectAccessible,
  postLogStreamBatch,
  runWithAdminKey,
  signUpFirstAdmin,
  stackForThisFile,
} from "./harness";

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

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
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

/** One evaluation of every rule, as the cron runs it each minute. */
async function evaluate() {
  await runWithAdminKey(stack, internal.alerts.evaluate.evaluate, {});
}

/** The error-rate rule waits PENDING_MS before it fires (five minutes by default). */
const PENDING_MS = 4_000;

/** The rules API as the admin signed in on `page` calls it, with the session the page holds. */
async function shortenPendingPeriod(page: Page) {
  const client = await clientAs(stack, page);
  const rule = (await client.query(api.alerts.alerts.rules, {})).find((r) => r.key === "error-rate")!;
  // The editor takes whole minutes; a journey cannot spend one, so the same admin mutation gets seconds.
  await client.mutation(api.alerts.alerts.updateRule, {
    key: rule.key,
    threshold: rule.threshold,
    recoveryThreshold: rule.recoveryThreshold,
    pendingMs: PENDING_MS,
    keepFiringMs: rule.keepFiringMs,
    severity: rule.severity,
    enabled: true,
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

  // Notifications go at once (no group wait or interval).
  const policy = page.getByRole("form", { name: "Notification policy" });
  await policy.getByLabel("Group wait (s)").fill("0");
  await policy.getByLabel("Group interval (min)").fill("0");
  await policy.getByRole("button", { name: "Save policy" }).click();
  // The first evaluation stores the built-in rules.
  await evaluate();
  await page.getByRole("button", { name: `Edit ${RULE}` }).waitFor();
  await shortenPendingPeriod(page);

  const channel = page.getByRole("form", { name: "Add a channel" });
  await channel.getByLabel("Name").fill("journey sink");
  await channel.getByLabel("URL").fill(sinkUrl);
  await channel.getByLabel("Signing secret (16+ characters)").fill(SIGNING_SECRET);
  await channel.getByRole("button", { name: "Add channel" }).click();
  await page.getByRole("list", { name: "Channels" }).getByText("journey sink").waitFor();

  await postLogStreamBatch(stack, executions(100, 3));
  await evaluate();
  await waitUntil(
    async () => (await errorRateAlert(page).getByText("Pending", { exact: true }).count()) > 0,
    "the alert is Pending",
  );
  await new Promise((resolve) => setTimeout(resolve, PENDING_MS));
  await evaluate();
  await waitUntil(
    async () => (await errorRateAlert(page).getByText("Firing", { exact: true }).count()) > 0,
    "the alert is Firing",
  );
  // The requests behind it: the three failing calls of the window that fired it, each opening its timeline.
  const behind = errorRateAlert(page).getByRole("list", { name: /Failing requests behind it/ });
  await behind.getByRole("link").first().waitFor();
  expect((await behind.getByRole("link").allTextContents()).sort()).toEqual([
    "alert-1",
    "alert-2",
    "alert-3",
  ]);
  await bothSizes(page, "alerts-01-firing");

  await waitUntil(
    async () => received.some((notice) => notice.rule === "error-rate" && notice.status === "firing"),
    "the sink received the firing notification",
  );
  expect(
    received.filter((notice) => notice.rule === "error-rate").every((notice) => notice.signatureOk),
  ).toBe(true);

  await behind.getByRole("link", { name: "Request alert-1: open its timeline" }).click();
  await page
    .getByRole("dialog", { name: /Request timeline/ })
    .getByText("payment provider down")
    .first()
    .waitFor();

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
  await evaluate();
  await waitUntil(async () => (await errorRateAlert(page).count()) === 0, "the alert resolved");
  await waitUntil(
    async () => received.some((notice) => notice.rule === "error-rate" && notice.status === "resolved"),
    "the sink received the resolved notification",
  );
  expect(received.filter((notice) => notice.rule === "error-rate").map((notice) => notice.status)).toEqual([
    "firing",
    "resolved",
  ]);
  await bothSizes(page, "alerts-04-resolved");
}, 120_000);
