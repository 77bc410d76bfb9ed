import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { expectAccessible, inviteAndSignUp, signUpFirstAdmin, stackForThisFile } from "./harness";

const stack = stackForThisFile();

async function openRunbooks(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runbooks" }).click();
  await page.getByRole("region", { name: "Daily maintenance" }).getByRole("progressbar").waitFor();
}

test("an operator ticks two daily items; another browser sees them live and after a reload; a viewer cannot tick", async () => {
  const adminPage = await signUpFirstAdmin(stack);
  const opsPage = await inviteAndSignUp(stack, adminPage, "ops@example.com", "operator");
  const viewerPage = await inviteAndSignUp(stack, adminPage, "watcher@example.com", "viewer");

  // The admin keeps the Runbooks page open in their own browser while the operator ticks.
  await openRunbooks(adminPage);
  await expectAccessible(adminPage, "runbooks-01-admin");

  await openRunbooks(opsPage);
  const daily = opsPage.getByRole("region", { name: "Daily maintenance" });
  await daily.getByRole("button", { name: "Add note for Review application logs" }).click();
  await daily.getByLabel("Note for “Review application logs”").fill("Quiet night, nothing unusual");
  await daily.getByRole("checkbox", { name: "Review application logs" }).check();
  await daily.getByText("Quiet night, nothing unusual").waitFor();
  await daily.getByRole("checkbox", { name: "Check Convex dashboard" }).check();
  await expect
    .poll(() => daily.getByRole("progressbar").getAttribute("aria-valuenow"), {
      message: "the operator's progress bar shows 2 of 4",
      timeout: 15_000,
    })
    .toBe("50");
  await expectAccessible(opsPage, "runbooks-02-operator-ticked");

  const adminDaily = adminPage.getByRole("region", { name: "Daily maintenance" });
  await expect
    .poll(
      async () =>
        (await adminDaily.getByRole("checkbox", { name: "Review application logs" }).isChecked()) &&
        (await adminDaily.getByRole("checkbox", { name: "Check Convex dashboard" }).isChecked()),
      { message: "the admin's browser shows both ticks live", timeout: 15_000 },
    )
    .toBe(true);
  await adminDaily.getByText("Quiet night, nothing unusual").waitFor();
  expect(await adminDaily.getByText(/Ticked by ops@example.com/).count()).toBe(2);

  await adminPage.reload();
  await adminDaily.getByRole("progressbar").waitFor();
  await expect
    .poll(() => adminDaily.getByRole("checkbox", { name: "Check Convex dashboard" }).isChecked(), {
      message: "the ticks are still there after a reload",
      timeout: 15_000,
    })
    .toBe(true);
  expect(await adminDaily.getByRole("checkbox", { name: "Review application logs" }).isChecked()).toBe(true);
  expect(await adminDaily.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("50");
  await adminDaily.getByText("Quiet night, nothing unusual").waitFor();

  await openRunbooks(viewerPage);
  const viewerDaily = viewerPage.getByRole("region", { name: "Daily maintenance" });
  expect(await viewerDaily.getByRole("checkbox", { name: "Check error rates in Sentry" }).isDisabled()).toBe(
    true,
  );
  expect(await viewerDaily.getByRole("checkbox", { name: "Review application logs" }).isChecked()).toBe(true);
  expect(await viewerPage.getByRole("button", { name: /Add note/ }).count()).toBe(0);
  await viewerPage.getByText("ticking needs the operator role").waitFor();
  await expectAccessible(viewerPage, "runbooks-03-viewer");
});
