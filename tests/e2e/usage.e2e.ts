import type { Locator, Page } from "playwright-core";
import { expect, test } from "vitest";
import { generateTraffic } from "../../convex/metrics/model/demoTraffic";
import { internal } from "../../convex/_generated/api";
import {
  expectAccessible,
  postLogStreamBatch,
  runWithAdminKey,
  signUpFirstAdmin,
  stackForThisFile,
} from "./harness";

const stack = stackForThisFile();
const DEPLOYMENT = {
  deployment_name: "usage-e2e-prod",
  deployment_type: "prod",
  project_name: "demo-app",
  project_slug: "demo-app",
};
const MIB = 2 ** 20;
let sequence = 0;

/** The demo deployment's traffic for the last few minutes (inside the webhook's replay window). */
function demoTraffic() {
  const now = Date.now();
  return generateTraffic({
    from: now - 4 * 60_000,
    to: now - 1000,
    perMinute: 8,
    seed: 7,
    deployment: DEPLOYMENT,
  });
}

/** An hourly storage report as Convex sends it: 450 MiB (0.439 GB) of tables and indexes, near Free's 0.5 GB. */
function storageReport() {
  return {
    topic: "current_storage_usage",
    timestamp: Date.now() - 1000,
    convex: DEPLOYMENT,
    total_document_size_bytes: 400 * MIB,
    total_index_size_bytes: 50 * MIB,
    total_vector_storage_bytes: 0,
    total_text_storage_bytes: 20 * MIB,
    total_file_storage_bytes: 300 * MIB,
    total_backup_storage_bytes: 0,
    total_system_table_document_size_bytes: { _storage: 4096, _scheduled_functions: 2048 },
  };
}

function cachedQuery() {
  sequence += 1;
  return {
    topic: "function_execution",
    timestamp: Date.now() - 1000,
    convex: DEPLOYMENT,
    function: { path: "e2e:ping", type: "query", cached: true, request_id: `usage-e2e-${sequence}` },
    execution_time_ms: 0,
    status: "success",
    error_message: null,
    usage: { database_io_read_bytes: 0, memory_used_mb: 0 },
  };
}

function metricTile(page: Page, name: string): Locator {
  return page.getByRole("list", { name: "Usage against the plan" }).getByRole("listitem", { name });
}

async function callsShown(page: Page): Promise<number> {
  const text = await metricTile(page, "Function calls").locator(".tile-value").textContent();
  return Number((text ?? "").replace(/[^\d]/g, ""));
}

async function savePlan(page: Page, plan: string) {
  const form = page.getByRole("form", { name: "Team plan" });
  await form.getByLabel("Team plan").selectOption({ label: plan });
  await form.getByRole("button", { name: "Save plan" }).click();
  await page.getByRole("heading", { name: `Plan: ${plan}` }).waitFor();
}

test("demo traffic shows month-to-date usage; switching Professional to Free changes states and forecast live; new traffic moves the numbers", async () => {
  const page = await signUpFirstAdmin(stack);
  await postLogStreamBatch(stack, [...demoTraffic(), storageReport()]);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
  await page.getByRole("heading", { level: 2, name: "Month to date" }).waitFor();
  await savePlan(page, "Professional");

  const storage = metricTile(page, "Database storage");
  await storage.getByText("0.439 GB", { exact: true }).waitFor();
  expect(await storage.getAttribute("data-state")).toBe("Default");
  await storage.getByText(/80 %: not foreseen within a year/).waitFor();
  expect(await callsShown(page)).toBeGreaterThan(0);
  expect(await metricTile(page, "Action compute").textContent()).toMatch(/GB-hours/);
  await page.getByRole("table", { name: "Storage by kind" }).waitFor();
  await page.getByRole("table", { name: "Top functions by function calls" }).waitFor();
  await expectAccessible(page, "40-usage-professional");

  // No reload: the page's own subscription re-renders as the plan changes.
  await savePlan(page, "Free");
  await page.waitForFunction(
    () =>
      document.querySelector('[aria-label="Database storage"]')?.getAttribute("data-state") === "Approaching",
  );
  await storage.getByText(/80 %: reached /).waitFor();
  await storage.getByText("of 0.5 GB included").waitFor();
  expect(await storage.textContent()).toMatch(/Approaching the limit/);

  const before = await callsShown(page);
  await postLogStreamBatch(stack, [cachedQuery(), cachedQuery(), cachedQuery()]);
  await page.waitForFunction(
    (expected) =>
      document
        .querySelector('[aria-label="Function calls"] .tile-value')
        ?.textContent?.replace(/[^\d]/g, "") === String(expected),
    before + 3,
  );

  // The daily chart's metric lives in the URL; its data is also a table.
  await page.getByLabel("Metric").selectOption({ label: "Database I/O" });
  await page.waitForURL(/chart=databaseIo/);
  await page.getByText("Show the chart's data as a table").click();
  await page.getByRole("table", { name: /Database I\/O per day by deployment/ }).waitFor();
  await expectAccessible(page, "41-usage-free");

  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: "the Usage page fits 390 px without scrolling sideways",
    })
    .toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  // The tile is the plan-usage rule's verdict: red once an evaluation has judged the 87.9 %. The
  // journey runs the minute cron's function itself, as `npx convex run` would, instead of waiting.
  await runWithAdminKey(stack, internal.alerts.evaluate.evaluate, {});
  const tile = page.getByRole("listitem", { name: "Usage this month" });
  await tile.getByText("⚠ Over threshold").waitFor();
  expect(await tile.textContent()).toMatch(/Database storage 87\.9%.*plan used [\d.]+ % > 80 %/);

  // The quarterly checklist's "Capacity planning" item shows the same forecast as evidence.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runbooks" }).click();
  await page.getByText(/Usage forecast:/).waitFor();
  expect(
    await page
      .getByText(/Usage forecast:/)
      .locator("..")
      .textContent(),
  ).toMatch(/Free plan: Database storage is at 87\.9% of the included amount/);
  await expectAccessible(page, "42-runbooks-capacity-evidence");
}, 180_000);
