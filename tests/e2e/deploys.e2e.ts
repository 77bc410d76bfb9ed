/**
 * Deploys end to end: loadgen's signed traffic, a `push_config` audit event through the signed log
 * stream, loadgen making `tasks:list` slower after it, and the verdict when the deploy's window
 * (shortened to one minute through DEPLOY_WATCH_MINUTES) closes.
 *
 * Sides are whole minutes, so a one-minute window closes up to two minutes after a deploy made now.
 * To stay well under a minute, the journey stages a deploy made a little over a minute ago, as a log
 * stream catching up delivers it: loadgen backfills the minutes before it, the deploy is posted, and
 * loadgen backfills the slow traffic since it and carries on live until the window closes. The
 * verdict then starts from the deploy's own scheduled start (not the minute cron).
 */
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { runLoad, type LoadgenOptions } from "../../tools/loadgen/loadgen";
import {
  expectAccessible,
  postLogStreamBatch,
  signUpFirstAdmin,
  stackForThisFile,
  WEBHOOK_SECRET,
} from "./harness";

const stack = stackForThisFile({ DEPLOY_WATCH_MINUTES: "1" });
const MINUTE = 60_000;
const DEPLOYMENT = "demo-app-prod";
/** The verdict's wait for the after side's late batches (functions.ts LATE_EVENTS_GRACE_MS). */
const GRACE_MS = 10_000;

function loadgen(extra: Partial<LoadgenOptions>): LoadgenOptions {
  return {
    siteUrl: stack.backend.siteUrl,
    convexUrl: stack.backend.url,
    secret: WEBHOOK_SECRET,
    perMinute: 300,
    durationSeconds: 1,
    format: "json",
    retryShare: 0,
    concurrency: 2,
    email: undefined,
    password: undefined,
    ...extra,
  };
}

async function bothSizes(page: Page, name: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await expectAccessible(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  // No sideways scroll at 390 px; when there is, the elements that stick out are named. Polled: a
  // table turns into cards on a phone after the resize has been handled, not at once.
  await expect
    .poll(() =>
      page.evaluate(() =>
        document.documentElement.scrollWidth <= window.innerWidth
          ? []
          : [...document.querySelectorAll("body *")]
              .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
              .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`)
              .slice(-6),
      ),
    )
    .toEqual([]);
  await expectAccessible(page, `${name}-390`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("a deploy that slows tasks:list is watched, then flagged; its function page shows the marker and the jump", async () => {
  const page = await signUpFirstAdmin(stack);

  // The deploy's minute starts 50–110 s ago, so its window closes 20–80 s from now.
  const start = Date.now();
  const deployMinute = Math.ceil((start - 110_000) / MINUTE) * MINUTE;
  const deployTs = deployMinute + 5_000;
  const closesAt = deployMinute + 2 * MINUTE + GRACE_MS;

  // Before: a minute and a half of normal traffic up to the deploy, all in the past.
  const beforeFrom = deployMinute - 90_000;
  const before = await runLoad(
    loadgen({
      backfillSeconds: (start - beforeFrom) / 1000,
      durationSeconds: (deployTs - beforeFrom) / 1000,
    }),
    () => {},
  );
  expect(before.httpErrors).toBe(0);
  expect(before.accepted).toBeGreaterThan(200);

  await postLogStreamBatch(stack, [
    {
      topic: "audit_log",
      timestamp: deployTs,
      convex: {
        deployment_name: DEPLOYMENT,
        deployment_type: "prod",
        project_name: "demo-app",
        project_slug: "demo-app",
      },
      audit_log_action: "push_config",
      audit_log_metadata: JSON.stringify({ member_email: "dev@example.com" }),
    },
  ]);

  // After: tasks:list six times slower, from the deploy until its window has closed.
  const afterStart = Date.now();
  const after = runLoad(
    loadgen({
      backfillSeconds: (afterStart - deployTs) / 1000,
      durationSeconds: (closesAt - deployTs) / 1000,
      slower: { functionPath: "tasks:list", factor: 6 },
    }),
    () => {},
  );

  await page.goto(`${stack.appUrl}/deploys?deployment=${DEPLOYMENT}`);
  const deploys = page.getByRole("list", { name: `Deploys of ${DEPLOYMENT}` });
  await deploys.getByRole("status").getByText("watching, 1 minute left").waitFor();
  await deploys.getByText("by dev@example.com").waitFor();
  await bothSizes(page, "deploys-01-watching");

  const regressions = deploys.getByRole("list", { name: "Regressions" });
  await regressions.waitFor({ timeout: closesAt - Date.now() + 30_000 });
  // Not before its window closed: the verdict comes from the deploy's scheduled start, seconds after.
  expect(Date.now()).toBeGreaterThanOrEqual(closesAt);
  expect((await after).httpErrors).toBe(0);
  // The slowed function is flagged. An unchanged one can be too, by chance, in about 1 % of runs
  // (the verdict's false-flag rate across all its functions, held in compare.test.ts); the journey
  // is about the page, so it asks only for the slowed one.
  await expect
    .poll(async () => (await regressions.getByRole("listitem").allInnerTexts()).join("\n"))
    .toMatch(/^tasks:list: p95 up$/m);
  await page.getByRole("button", { name: "Show every function" }).click();
  await page
    .getByRole("table")
    .getByRole("row", { name: /tasks:list/ })
    .waitFor();
  await bothSizes(page, "deploys-02-verdict");

  await regressions.getByRole("link", { name: "tasks:list" }).click();
  await page.getByRole("heading", { level: 1, name: "tasks:list" }).waitFor();
  const jump = page.getByText(/^Around the deploy at/);
  await jump.waitFor();
  const [, p95Before, p95After] = /p95 ([\d.]+) ms → ([\d.]+) ms/.exec(await jump.innerText()) ?? [];
  expect(Number(p95After)).toBeGreaterThan(3 * Number(p95Before));
  // The marker on both charts, in the deploy's minute.
  expect(await page.locator(".recharts-reference-line").count()).toBeGreaterThanOrEqual(2);
  await bothSizes(page, "deploys-03-function");
  console.log(
    `deploys journey: ${Math.round((Date.now() - start) / 1000)} s from the first event to the end`,
  );
}, 240_000);
