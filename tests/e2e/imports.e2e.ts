import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible, inviteAndSignUp, screenshot, signUpFirstAdmin, stackForThisFile } from "./harness";

const stack = stackForThisFile();

const ROWS = 10_000;
const BAD_LINE = 5_002;
const PRIORITIES = ["low", "medium", "high"] as const;

/** The signed-in user's id, from the session token @convex-dev/auth keeps (`sub` is `userId|sessionId`). */
async function signedInUserId(page: Page): Promise<string> {
  const token = await page.evaluate(
    () => Object.entries(localStorage).find(([key]) => key.startsWith("__convexAuthJWT"))?.[1] ?? null,
  );
  if (token === null) throw new Error("no session token in the browser");
  const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as {
    sub: string;
  };
  return payload.sub.split("|")[0]!;
}

/**
 * Ten thousand tasks as a spreadsheet exports them (CSV, CRLF), optionally with one row whose
 * `completed` says "maybe", as a careless edit would. Only typed by the table's schema can a CSV
 * fill the boolean `completed`: Convex's own CSV rules give strings or numbers.
 */
function tasksFile(userId: string, broken: boolean): Buffer {
  const lines = ["text,completed,userId,priority,createdAt"];
  for (let index = 1; index <= ROWS; index++) {
    const completed = broken && index === BAD_LINE - 1 ? "maybe" : index % 2 === 0 ? "FALSE" : "false";
    lines.push(
      [
        `Imported task ${String(index).padStart(5, "0")}`,
        completed,
        userId,
        PRIORITIES[index % 3],
        Date.UTC(2026, 10, 1) + index * 1000,
      ].join(","),
    );
  }
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

/** The page as a phone shows it: nothing wider than the window, so nothing scrolls sideways. */
async function expectFitsAt390(page: Page, path: string, heading: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${stack.appUrl}${path}`);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await page
    .getByRole("region", { name: /Tasks|Preview/ })
    .first()
    .waitFor();
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.scroll, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(widths.window);
  await screenshot(page, `imports-390-${heading.toLowerCase()}`);
}

async function openPage(page: Page, name: "Imports" | "Tasks"): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
}

async function uploadTasks(page: Page, file: Buffer, name: string): Promise<void> {
  await page.getByLabel("File", { exact: true }).setInputFiles({ name, mimeType: "text/csv", buffer: file });
  await page.getByLabel("Table to import into").fill("tasks");
  await page.getByRole("button", { name: "Upload and preview" }).click();
}

test("an operator previews a file with a bad line, fixes it, appends 10k tasks, finds them and completes two; a viewer has no controls", async () => {
  const adminPage = await signUpFirstAdmin(stack);
  const opsPage = await inviteAndSignUp(stack, adminPage, "ops@example.com", "operator");
  const viewerPage = await inviteAndSignUp(stack, adminPage, "watcher@example.com", "viewer");
  const opsUserId = await signedInUserId(opsPage);

  await openPage(opsPage, "Imports");
  await uploadTasks(opsPage, tasksFile(opsUserId, true), "tasks.csv");
  const invalid = opsPage.getByRole("list", { name: "Invalid lines" });
  await invalid.waitFor({ timeout: 60_000 });
  expect(await invalid.textContent()).toContain(
    `Line ${BAD_LINE.toLocaleString("en-US")}: Column \`completed\`: "maybe" is not a boolean`,
  );
  expect(await opsPage.getByRole("checkbox", { name: "Type cells by the table's schema" }).isChecked()).toBe(
    true,
  );
  await opsPage.getByText(/1 invalid line: Convex would stop at the first/).waitFor();
  expect(await opsPage.getByRole("button", { name: "Send to the deployment" }).count()).toBe(0);
  await expectAccessible(opsPage, "imports-01-invalid-line");

  await uploadTasks(opsPage, tasksFile(opsUserId, false), "tasks-fixed.csv");
  await opsPage
    .getByRole("heading", { level: 2, name: "tasks-fixed.csv → tasks: Ready to import" })
    .waitFor({ timeout: 60_000 });
  const preview = opsPage.getByRole("region", { name: "Preview" });
  await preview.getByText(`${ROWS.toLocaleString("en-US")} rows read`).waitFor({ timeout: 60_000 });
  expect(await preview.getByRole("list", { name: "Invalid lines" }).count()).toBe(0);
  await opsPage.getByRole("radio", { name: /append/ }).check();
  await opsPage.getByRole("button", { name: "Send to the deployment" }).click();

  const confirm = opsPage.getByRole("button", { name: "Confirm and import" });
  await confirm.waitFor({ timeout: 60_000 });
  await opsPage.getByRole("list", { name: "Changes to confirm" }).waitFor();
  await expectAccessible(opsPage, "imports-02-confirm");
  await confirm.click();
  await opsPage
    .getByRole("heading", { level: 2, name: /tasks-fixed\.csv → tasks: (Importing|Completed)/ })
    .waitFor({ timeout: 60_000 });
  await opsPage
    .getByRole("status")
    .getByText(`${ROWS.toLocaleString("en-US")} rows written.`)
    .waitFor({ timeout: 120_000 });
  await opsPage
    .getByText(/typed by the schema of tasks, sent as JSON Lines/)
    .first()
    .waitFor();
  await expectAccessible(opsPage, "imports-03-completed");

  await openPage(opsPage, "Tasks");
  await opsPage.getByLabel("Owner email").fill("ops@example.com");
  await opsPage.getByRole("button", { name: "Apply" }).click();
  await opsPage.getByLabel("Priority").selectOption("high");
  await expect
    .poll(() => new URL(opsPage.url()).searchParams.get("priority"), {
      message: "the filters are in the URL",
    })
    .toBe("high");
  expect(new URL(opsPage.url()).searchParams.get("owner")).toBe("ops@example.com");
  const table = opsPage.getByRole("table", { name: "Tasks across all users" });
  // Newest first: the last rows of the file, every third of them (09998, 09995, …) high priority.
  await table.getByText("Imported task 09998").waitFor();
  expect(await table.getByText("Imported task 09999").count()).toBe(0);
  await expectAccessible(opsPage, "imports-04-tasks-filtered");

  await table.getByRole("checkbox", { name: "Select “Imported task 09998”" }).check();
  await table.getByRole("checkbox", { name: "Select “Imported task 09995”" }).check();
  await opsPage
    .getByRole("group", { name: "Actions on 2 selected tasks" })
    .getByRole("button", { name: "Complete selected" })
    .click();
  await table.getByRole("button", { name: "Reopen “Imported task 09998”" }).waitFor();
  await table.getByRole("button", { name: "Reopen “Imported task 09995”" }).waitFor();
  expect(await table.getByRole("button", { name: "Complete “Imported task 09992”" }).count()).toBe(1);

  await openPage(viewerPage, "Imports");
  await viewerPage.getByRole("listitem", { name: "Import tasks-fixed.csv → tasks" }).waitFor();
  expect(await viewerPage.getByLabel("File", { exact: true }).count()).toBe(0);
  expect(await viewerPage.getByRole("button", { name: /Send|Confirm|Cancel|Download/ }).count()).toBe(0);
  await expectAccessible(viewerPage, "imports-05-viewer");
  await openPage(viewerPage, "Tasks");
  await viewerPage
    .getByRole("table", { name: "Tasks across all users" })
    .getByText(/Imported task/)
    .first()
    .waitFor();
  expect(await viewerPage.getByRole("checkbox").count()).toBe(0);
  expect(await viewerPage.getByRole("button", { name: /Complete|Reopen|Delete/ }).count()).toBe(0);

  await expectFitsAt390(opsPage, "/tasks?owner=ops%40example.com", "Tasks");
  // The table fits its card too: the phone drops the secondary columns rather than scroll them.
  const phoneTable = opsPage.getByRole("table", { name: "Tasks across all users" });
  await phoneTable
    .getByText(/Imported task/)
    .first()
    .waitFor();
  const card = await phoneTable.evaluate((table) => ({
    scroll: table.parentElement!.scrollWidth,
    client: table.parentElement!.clientWidth,
  }));
  expect(card.scroll, "the Tasks table scrolls sideways in its card at 390 px").toBeLessThanOrEqual(
    card.client,
  );
  expect(await phoneTable.getByRole("columnheader", { name: "Owner" }).isVisible()).toBe(false);
  expect(await phoneTable.getByRole("checkbox").first().isVisible()).toBe(true);
  await expectFitsAt390(opsPage, "/imports", "Imports");
}, 300_000);
