import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import {
  E2E_PASSWORD,
  postLogStreamBatch,
  screenshot,
  seriousAxeViolations,
  signUpFirstAdmin,
  visitAndCheck,
  stackForThisFile,
} from "./harness";
import { convexOf } from "../../convex/metrics/model/logStream.fixtures";

const convex = convexOf("e2e-layout", "shop");
const stack = stackForThisFile();
let sequence = 0;

function execution(path: string, durationMs: number, requestId: string, errorMessage?: string) {
  sequence += 1;
  return {
    topic: "function_execution",
    timestamp: Date.now() - 2000 + sequence,
    convex,
    function: {
      path,
      type: path.includes("update") ? "mutation" : "query",
      cached: false,
      request_id: requestId,
    },
    execution_time_ms: durationMs,
    status: errorMessage === undefined ? "success" : "failure",
    error_message: errorMessage ?? null,
    usage: { database_read_documents: 12, database_io_read_bytes: 4096 },
  };
}

function consoleLine(path: string, requestId: string, message: string) {
  sequence += 1;
  return {
    topic: "console",
    timestamp: Date.now() - 2500 + sequence,
    convex,
    function: { path, type: "query", request_id: requestId },
    log_level: "ERROR",
    message,
    is_truncated: false,
  };
}

function postBatch(events: unknown[]): Promise<void> {
  return postLogStreamBatch(stack, events);
}

/** Fails, naming what sticks out, when the page itself scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const outside = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((element) => element.children.length === 0)
      .filter((element) => {
        for (let up = element.parentElement; up !== null; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== "visible") return false;
        }
        return true;
      })
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.slice(0, 40)}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, outside };
  });
  expect(
    overflow.scrollWidth,
    `${where}: page scrolls sideways (${overflow.outside.join("; ")})`,
  ).toBeLessThanOrEqual(overflow.innerWidth);
}

/**
 * Every table sits inside its box (whatever does not fit scrolls inside, its last column reachable),
 * and every filter control inside its form.
 */
async function expectTablesFit(page: Page, where: string, withoutScrolling = false): Promise<void> {
  const problems = await page.evaluate((strict) => {
    const found: string[] = [];
    for (const table of document.querySelectorAll("main table")) {
      const box = table.parentElement!;
      const scroller = box.scrollWidth > box.clientWidth ? box : null;
      const overflowX = getComputedStyle(box).overflowX;
      const boxRect = box.getBoundingClientRect();
      const tableRect = table.getBoundingClientRect();
      if (boxRect.right > window.innerWidth + 0.5) found.push(`box of ${table.className} leaves the window`);
      if (tableRect.right > boxRect.right + 0.5 && (scroller === null || overflowX === "visible")) {
        found.push(`${table.className} is clipped at ${Math.round(boxRect.right)} px`);
      }
      // A phone shows a DataTable's rows as cards: every cell of a row inside the card, none cut off.
      const cards = !table.classList.contains("compact-table") && window.innerWidth <= 600;
      if ((strict || cards) && scroller !== null) {
        found.push(
          `${table.getAttribute("aria-label") ?? table.querySelector("caption")?.textContent} needs sideways scrolling`,
        );
      }
      if (cards) {
        for (const cell of table.querySelectorAll("tbody tr:first-child td")) {
          const rect = cell.getBoundingClientRect();
          if (getComputedStyle(cell).display === "none") continue;
          if (rect.width === 0 || rect.right > boxRect.right + 0.5) {
            found.push(
              `${cell.getAttribute("data-label") ?? "a cell"} of ${table.querySelector("caption")?.textContent} is cut off`,
            );
          }
        }
      }
      const card = box.closest(".card, section, .page");
      if (card !== null && boxRect.right > card.getBoundingClientRect().right + 0.5) {
        found.push(`box of ${table.className} overflows its card`);
      }
    }
    for (const control of document.querySelectorAll("main select, main input")) {
      const form = control.closest("form, .card");
      if (form !== null && control.getBoundingClientRect().right > form.getBoundingClientRect().right + 0.5) {
        found.push(`${control.tagName.toLowerCase()} ${control.id} overflows its box`);
      }
    }
    return found;
  }, withoutScrolling);
  expect(problems, where).toEqual([]);
}

const PAGES: Array<[string, string, string]> = [
  ["overview", "/", "Overview"],
  ["slow-calls", "/slow-queries?view=calls", "Slow queries"],
  ["slow-functions", "/slow-queries", "Slow queries"],
  ["errors", "/errors", "Errors"],
  ["audit", "/audit", "Audit trail"],
  ["settings", "/settings", "Settings"],
];

test("an Errors link filtered by code survives reload, leads to the failing call's timeline, and every page fits", async () => {
  const page = await signUpFirstAdmin(stack);
  await page.setViewportSize({ width: 1440, height: 900 });

  const missing = "Uncaught Error: Order 8812 not found\n    at handler (../convex/orders.ts:41:11)";
  await postBatch([
    consoleLine("orders:get", "e2e-missing-order", "looking up order 8812"),
    execution("orders:get", 14, "e2e-missing-order", missing),
    execution("orders:get", 11, "e2e-missing-order-2", "Uncaught Error: Order 77 not found"),
    execution(
      "orders:update",
      40,
      "e2e-conflict",
      'Documents read from or written to the "orders" table changed while this mutation was being run',
    ),
    execution("orders:search", 950, "e2e-slow-search"),
    execution("orders:list", 420, "e2e-slow-list"),
    execution("orders:list", 12, "e2e-fast-list"),
  ]);

  await page.goto(`${stack.appUrl}/errors`);
  await page.getByText(/3 failures in 6 calls/).waitFor();
  await page.getByLabel("Error code", { exact: true }).selectOption("NOT_FOUND");
  await page.waitForURL(/errorCode=NOT_FOUND/);
  expect(new URL(page.url()).searchParams.has("code")).toBe(false);
  await page.getByRole("heading", { name: /Error rate over time · NOT_FOUND/ }).waitFor();

  await page.reload();
  await page.getByRole("banner").getByText("admin@example.com").waitFor();
  await page.getByRole("heading", { name: /Error rate over time · NOT_FOUND/ }).waitFor();
  expect(await page.getByLabel("Error code", { exact: true }).inputValue()).toBe("NOT_FOUND");
  expect(new URL(page.url()).searchParams.get("errorCode")).toBe("NOT_FOUND");
  expect(await page.title()).toBe("Errors · Convex Ops Console");

  // The same link shared with someone signed out: they sign in on it and land on the filtered view.
  const shared = await (await stack.newBrowser()).newPage();
  await shared.goto(page.url());
  await shared.getByLabel("Email").fill("admin@example.com");
  await shared.getByLabel("Password", { exact: true }).fill(E2E_PASSWORD);
  await shared.getByRole("button", { name: "Sign in" }).click();
  await shared.getByRole("heading", { name: /Error rate over time · NOT_FOUND/ }).waitFor();
  expect(new URL(shared.url()).searchParams.get("errorCode")).toBe("NOT_FOUND");
  await shared.close();

  const groups = page.getByRole("table", { name: /Error groups/ });
  await groups.getByRole("cell", { name: "orders:get", exact: true }).waitFor();
  expect(await groups.locator("tbody tr").count()).toBe(1);
  await expectTablesFit(page, "errors filtered, 1440");
  await screenshot(page, "20-errors-filtered-1440");

  await groups.getByRole("button", { name: "Failing calls of NOT_FOUND in orders:get" }).click();
  const failingCalls = page.getByRole("dialog", { name: "Failing calls" });
  await failingCalls.waitFor();
  const drawerBox = await failingCalls.boundingBox();
  expect(drawerBox?.y).toBe(0);
  expect(drawerBox?.height).toBe(900);
  await failingCalls
    .getByRole("button", { name: "Open the timeline of request e2e-missing-order-2" })
    .waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await screenshot(page, "21-errors-failing-calls-1440");
  await failingCalls
    .getByRole("button", { name: "Open the timeline of request e2e-missing-order", exact: true })
    .click();
  const timeline = page.getByRole("dialog", { name: "Request timeline" });
  await timeline.getByText("Order 8812 not found").first().waitFor();
  await timeline.getByText("looking up order 8812").waitFor();
  expect(await timeline.textContent()).toContain("NOT_FOUND");
  await screenshot(page, "22-errors-timeline-1440");
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await failingCalls.waitFor();
  await page.keyboard.press("Escape");
  await failingCalls.waitFor({ state: "detached" });

  // An admin action with details, so the Audit page shows more than the sign-up.
  await page.goto(`${stack.appUrl}/settings`);
  await page.getByLabel("Slow call documents scanned (documents)").fill("20000");
  await page.getByRole("button", { name: "Save thresholds" }).click();
  await page.getByText(/Last changed by admin@example.com/).waitFor();

  // A group as the demo's load makes them, a nested module path and a ConvexError's JSON message:
  // the widest row a real deployment shows, which must still leave "Last seen" inside the card.
  await postBatch([
    execution(
      "tasks/tasks:setCompleted",
      31,
      "e2e-demo-shaped",
      'Uncaught ConvexError: {"code":"NOT_FOUND","message":"Task j57a9c3kq2wq4b8n1r6v0m7x5h73m2pd was deleted before it could be completed"}',
    ),
  ]);

  for (const [width, height] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const [name, path, title] of PAGES) {
      await visitAndCheck(stack, page, path, title, `23-${name}-${width}`);
      expect(await page.title()).toBe(`${title} · Convex Ops Console`);
      await expectNoSidewaysScroll(page, `${name} at ${width}`);
      await expectTablesFit(page, `${name} at ${width}`, width >= 1440);
    }
  }
});
