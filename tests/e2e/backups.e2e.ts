import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { api } from "../../convex/_generated/api";
import type { Id } from "../../convex/_generated/dataModel";
import {
  clientAs,
  expectAccessible,
  inviteAndSignUp,
  signUpFirstAdmin,
  stackForThisFile,
  visitAndCheck,
} from "./harness";

const stack = stackForThisFile();

/** The tasks API as the signed-in person in `page` calls it, with the session the page holds. */
async function tasksAs(page: Page) {
  const client = await clientAs(stack, page);
  return {
    create: (text: string) => client.mutation(api.tasks.tasks.create, { text, priority: "medium" }),
    remove: (taskId: Id<"tasks">) => client.mutation(api.tasks.tasks.remove, { taskId }),
    ids: async () =>
      (await client.query(api.tasks.tasks.list, { limit: 200 })).map((task) => task._id).sort(),
  };
}

/**
 * The entries of a ZIP and their inflated bytes, read from the central directory with Node's own
 * inflate, each checked against the size its header records: independent of the console's reader.
 */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end, "the download ends with a ZIP directory").toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    let compressed = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    // Convex (async_zip) puts 0xFFFFFFFF in the 32-bit fields and the real values in the ZIP64
    // extra (id 1): uncompressed, compressed, offset, each present only when its field is maxed.
    for (
      let x = at + 46 + nameLength;
      x < at + 46 + nameLength + extraLength;
      x += 4 + zip.readUInt16LE(x + 2)
    ) {
      if (zip.readUInt16LE(x) !== 1) continue;
      let v = x + 4;
      const next = () => Number(zip.readBigUInt64LE((v += 8) - 8));
      if (size === 0xffffffff) size = next();
      if (compressed === 0xffffffff) compressed = next();
      if (local === 0xffffffff) local = next();
    }
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + compressed);
    const bytes = method === 8 ? inflateRawSync(raw) : raw;
    expect(bytes.length, `${name} inflates to its recorded size`).toBe(size);
    entries.set(name, bytes);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Fails when the page itself scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

test("an operator backs up; an admin downloads it and restores deleted tasks with their ids; the audit shows each step", async () => {
  const adminPage = await signUpFirstAdmin(stack);
  const opsPage = await inviteAndSignUp(stack, adminPage, "ops@example.com", "operator");
  const deployment = new URL(stack.backend.url).host;

  const adminTasks = await tasksAs(adminPage);
  for (const text of ["Rotate the deploy key", "Renew the certificate", "Check the RPO", "Prune old logs"]) {
    await adminTasks.create(text);
  }
  const tasksBefore = await adminTasks.ids();
  expect(tasksBefore).toHaveLength(4);

  // The operator takes a backup and follows it to "Verified".
  await visitAndCheck(stack, opsPage, "/backups", "Backups", "backups-01-operator");
  await opsPage.getByText("This deployment is the console's own").waitFor();
  await opsPage.getByRole("button", { name: "Backup now" }).click();
  await opsPage.getByRole("status").getByText("Backup started").waitFor();
  const item = opsPage.getByRole("listitem", { name: /^Backup / }).first();
  // The states the operator sees, in order, while the list updates by itself.
  const seen: string[] = [];
  let progressBarSeen = false;
  await expect
    .poll(
      async () => {
        const label = (await item.locator(".badge").first().textContent()) ?? "";
        if (seen.at(-1) !== label) seen.push(label);
        if (!progressBarSeen) progressBarSeen = (await item.getByRole("progressbar").count()) > 0;
        return label;
      },
      { message: "the backup is verified", timeout: 60_000, interval: 100 },
    )
    .toBe("Verified");
  const order = ["Requested", "Exporting", "Copying to the console", "Verifying", "Verified"];
  expect(
    seen.every((label) => order.includes(label)),
    seen.join(" → "),
  ).toBe(true);
  expect(seen.map((label) => order.indexOf(label))).toEqual(
    [...seen.map((label) => order.indexOf(label))].sort((a, b) => a - b),
  );
  expect(seen.length, `progress shown before "Verified": ${seen.join(" → ")}`).toBeGreaterThan(1);
  expect(progressBarSeen).toBe(true);
  await item.getByText(/(^|· )tasks 4( ·|$)/).waitFor();
  const backupName = ((await item.getAttribute("aria-label")) ?? "").replace(/^Backup /, "");
  const sha256 = (await item
    .locator("dt", { hasText: "SHA-256" })
    .locator("xpath=../dd")
    .textContent())!.trim();
  await expectAccessible(opsPage, "backups-02-verified");

  // Taking data out is an admin action: the operator has no download.
  expect(await item.getByRole("button", { name: "Download" }).count()).toBe(0);

  // Two tasks are deleted by mistake.
  await adminTasks.remove(tasksBefore[0] as Id<"tasks">);
  await adminTasks.remove(tasksBefore[1] as Id<"tasks">);
  expect(await adminTasks.ids()).toHaveLength(2);

  // The admin restores the backup: told first that only the app's tables are touched.
  await visitAndCheck(stack, adminPage, "/backups", "Backups", "backups-03-admin");
  const adminItem = adminPage.getByRole("listitem", { name: `Backup ${backupName}` });

  // The download is the verified ZIP itself: same digest, Convex's layout, the tasks inside. It goes
  // through a one-time link on the site origin, named after the backup, which refuses a second use.
  const [download, linkRequest] = await Promise.all([
    adminPage.waitForEvent("download"),
    adminPage.waitForRequest((request) => /\/backups\/download\?token=[0-9a-f]{64}$/.test(request.url())),
    adminItem.getByRole("button", { name: "Download" }).click(),
  ]);
  const reused = await fetch(linkRequest.url(), { redirect: "manual" });
  expect(reused.status).toBe(410);
  expect(await reused.text()).toMatch(/already been used/);
  expect(download.suggestedFilename()).toMatch(/-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.zip$/);
  const zip = readFileSync((await download.path())!);
  expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  expect(createHash("sha256").update(zip).digest("hex")).toBe(sha256);
  const entries = unzip(zip);
  expect(entries.get("README.md")?.toString()).toMatch(/^# Welcome to your Convex snapshot export!/);
  const tables = entries
    .get("_tables/documents.jsonl")!
    .toString()
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { name: string }).name);
  expect(tables).toEqual(expect.arrayContaining(["tasks", "users", "audit", "backups"]));
  expect(entries.get("tasks/generated_schema.jsonl")?.toString()).toBe('"uniform"\n');
  const taskLines = entries.get("tasks/documents.jsonl")!.toString().trim().split("\n");
  expect(taskLines.map((line) => (JSON.parse(line) as { _id: string })._id).sort()).toEqual(tasksBefore);
  expect(taskLines[0]).toMatch(/"_creationTime":\d+\.\d+/);

  await adminItem.getByRole("button", { name: "Restore" }).click();
  const dialog = adminPage.getByRole("dialog");
  await dialog.getByText("This deployment is the console's own: a restore replaces only tasks").waitFor();
  const tasksRow = dialog.getByRole("row", { name: /^tasks/ });
  await expect
    .poll(() => tasksRow.textContent(), { message: "the dialog counts rows now", timeout: 60_000 })
    .toBe("tasks42");
  await expectAccessible(adminPage, "backups-04-restore-dialog");
  const restoreButton = dialog.getByRole("button", { name: "Restore" });
  expect(await restoreButton.isDisabled()).toBe(true);
  await dialog.getByRole("textbox").fill(deployment);
  await restoreButton.click();
  await dialog.waitFor({ state: "detached" });

  // A pre-restore backup first, then Convex's summary, then the import the admin performs.
  const restore = adminPage.getByRole("region", { name: new RegExp(`^Restore of ${backupName}`) });
  await adminPage
    .getByRole("listitem", { name: /^Backup / })
    .getByText(/^Pre-restore by admin@example.com/)
    .waitFor({ timeout: 60_000 });
  const names = await adminPage
    .getByRole("listitem", { name: /^Backup / })
    .evaluateAll((items) => items.map((listItem) => listItem.getAttribute("aria-label")));
  expect(new Set(names).size, "the pre-restore backup has a name of its own").toBe(2);
  await restore.getByRole("heading", { name: "What Convex will do" }).waitFor({ timeout: 60_000 });
  await expectAccessible(adminPage, "backups-05-confirm-import");
  await restore.getByRole("button", { name: `Perform import into ${deployment}` }).click();
  await restore.getByRole("heading", { name: /: Restored$/ }).waitFor({ timeout: 60_000 });
  await restore.getByText("4 documents written.", { exact: true }).waitFor();
  await expectAccessible(adminPage, "backups-06-restored");
  expect(await adminTasks.ids()).toEqual(tasksBefore);

  await adminPage.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(adminPage, "Backups at 390 px");
  await adminPage.setViewportSize({ width: 1280, height: 800 });

  // The audit trail holds each step, by whom, newest first.
  await visitAndCheck(stack, adminPage, "/audit", "Audit trail", "backups-07-audit");
  const trail = adminPage.getByRole("table");
  await trail.getByRole("row", { name: /Restore finished/ }).waitFor();
  const steps = await trail
    .getByRole("row")
    .evaluateAll((rows) =>
      rows.slice(1).map((row) => [...row.querySelectorAll("td")].slice(1, 3).map((cell) => cell.textContent)),
    );
  expect(steps.slice(0, 11)).toEqual([
    ["system", "Restore finished"],
    ["admin@example.com", "Restore import confirmed"],
    ["system", "Restore waiting for confirmation"],
    ["system", "Backup finished"],
    ["admin@example.com", "Restore requested"],
    ["system", "Backup downloaded"],
    ["admin@example.com", "Backup download link made"],
    ["admin@example.com", "Task removed"],
    ["admin@example.com", "Task removed"],
    ["system", "Backup finished"],
    ["ops@example.com", "Backup requested"],
  ]);
  await trail
    .getByRole("row", { name: /Restore finished/ })
    .getByText("completed")
    .waitFor();
  await trail
    .getByRole("row", { name: /Backup finished/ })
    .first()
    .getByText("pre-restore")
    .waitFor();
});
