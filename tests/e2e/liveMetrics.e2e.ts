import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import {
  expectAccessible,
  postLogStreamBatch,
  screenshot,
  signUpFirstAdmin,
  stackForThisFile,
} from "./harness";
import { convexOf, executionEvent } from "../../convex/metrics/model/logStream.fixtures";

const convex = convexOf("e2e-prod", "shop");
const stack = stackForThisFile();

function execution(path: string, durationMs: number, failure?: { message: string; occ?: boolean }) {
  return executionEvent(Date.now() - 2000, path, {
    convex,
    execution_time_ms: durationMs,
    status: failure ? "failure" : "success",
    error_message: failure?.message ?? null,
    occ_info: failure?.occ
      ? { table_name: "orders", document_id: null, write_source: null, retry_count: 4 }
      : null,
    usage: { database_read_documents: 12, database_io_read_bytes: 4096 },
  });
}

function postBatch(events: unknown[]): Promise<void> {
  return postLogStreamBatch(stack, events);
}

async function durationsShown(page: Page): Promise<string[]> {
  const table = page.getByRole("region", { name: "Slow calls" }).getByRole("table");
  const rows = table.locator("tbody tr");
  const header = await table.locator("thead th").allTextContents();
  const column = header.findIndex((text) => text.startsWith("Duration"));
  return await rows.evaluateAll(
    (elements, index) => elements.map((row) => row.children[index]?.textContent ?? ""),
    column,
  );
}

test("a signed batch appears live on Slow queries, sorts by duration, and its failures chart on Errors", async () => {
  const page = await signUpFirstAdmin(stack);

  await page.goto(`${stack.appUrl}/slow-queries?view=calls`);
  await page.getByRole("heading", { name: "No log stream connected yet" }).waitFor();
  await screenshot(page, "10-slow-queries-before-stream");

  await postBatch([
    execution("orders:list", 180),
    execution("orders:search", 950),
    execution("orders:get", 320),
    execution("orders:get", 12),
  ]);
  const slowCalls = page.getByRole("region", { name: "Slow calls" });
  await slowCalls.getByRole("cell", { name: "orders:search", exact: true }).waitFor();
  expect(await slowCalls.locator("tbody tr").count()).toBe(3);

  await slowCalls.getByRole("button", { name: /^Duration/ }).click();
  await page.waitForFunction(() => document.querySelector("th[aria-sort]") !== null);
  const sortedOnce = await durationsShown(page);
  await slowCalls.getByRole("button", { name: /^Duration/ }).click();
  const sortedTwice = await durationsShown(page);
  const asNumbers = (values: string[]) =>
    values.map(
      (value) => Number.parseFloat(value.replace(/[^\d.]/g, "")) * (value.includes(" s") ? 1000 : 1),
    );
  const ascending = [...asNumbers(sortedOnce)].sort((a, b) => a - b);
  expect([asNumbers(sortedOnce), asNumbers(sortedTwice)]).toContainEqual(ascending);
  expect([asNumbers(sortedOnce), asNumbers(sortedTwice)]).toContainEqual([...ascending].reverse());
  await expectAccessible(page, "11-slow-queries-live");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Errors" }).click();
  await postBatch([
    execution("orders:update", 40, {
      message:
        'Documents read from or written to the "orders" table changed while this mutation was being run',
      occ: true,
    }),
    execution("orders:update", 35, {
      message:
        'Documents read from or written to the "orders" table changed while this mutation was being run',
      occ: true,
    }),
    execution("orders:create", 20, { message: "ArgumentValidationError: Value does not match validator." }),
  ]);
  await page.getByText(/3 failures in 7 calls/).waitFor();
  await page.getByText(/OCC 2, VALIDATION_ERROR 1/).waitFor();
  expect(await page.locator(".recharts-bar-rectangle, .recharts-rectangle").count()).toBeGreaterThan(0);
  await expectAccessible(page, "12-errors-live");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  await page.getByRole("link", { name: "orders:search" }).first().waitFor();
  await expectAccessible(page, "13-overview-live");
});
