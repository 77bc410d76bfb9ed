import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { FunctionReturnType } from "convex/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeId, mutationOf, refuseNext, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { connectedDeployment } from "@/test/deploymentFixtures";
import { renderApp } from "@/test/renderApp";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

type BackupRow = FunctionReturnType<typeof api.backups.backups.list>[number];
type Rpo = FunctionReturnType<typeof api.backups.backups.rpo>;
type Settings = FunctionReturnType<typeof api.backups.backups.settings>;
type Restores = FunctionReturnType<typeof api.backups.restore.list>;

const HOUR = 3_600_000;

function backupRow(overrides: Partial<BackupRow>): BackupRow {
  return {
    _id: "b1" as BackupRow["_id"],
    _creationTime: Date.now() - HOUR,
    kind: "manual",
    status: { state: "verified" },
    requestedAt: Date.UTC(2026, 10, 24, 9, 30),
    requestedBy: "operator@example.com",
    includeStorage: false,
    deployment: "happy-otter-123",
    deploymentUrl: "https://happy-otter-123.convex.cloud",
    pinned: false,
    name: "happy-otter-123-2026-11-24-093000",
    stored: true,
    sizeBytes: 12_000,
    sha256: "ab".repeat(32),
    tables: [{ component: "", table: "tasks", rows: 5 }],
    totalRows: 5,
    ...overrides,
  };
}

const connection = connectedDeployment();

const settings: Settings = {
  schedule: { cadence: "off" },
  retention: { keepLast: 3, daily: 7, weekly: 4, monthly: 3 },
  rpoTargetMs: HOUR,
  timeZone: "Europe/Berlin",
  updatedAt: null,
  updatedBy: null,
  nextScheduledAt: null,
};

/** A whole-deployment restore of backup b1 that admin@example.com asked for a minute ago. */
function restoreRow(overrides: Partial<Restores["restores"][number]>): Restores["restores"][number] {
  return {
    _id: fakeId("restores", "r1"),
    _creationTime: Date.now(),
    backupId: fakeId("backups", "b1"),
    backupName: "happy-otter-123-2026-11-24-093000",
    deployment: "happy-otter-123",
    mode: "replaceAll",
    tables: ["tasks"],
    leftOut: [],
    filtered: false,
    status: { state: "waiting_for_confirmation" },
    requestedBy: "admin@example.com",
    requestedAt: Date.now() - 60_000,
    ...overrides,
  };
}

function rpo(newestVerifiedAt: number | null): Rpo {
  return {
    newestVerifiedAt,
    newestName: null,
    targetMs: HOUR,
    status: { state: "none", ageMs: null, targetMs: HOUR, remainingMs: null, sentence: "" },
  };
}

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.deployment.connection.status, {}, connection);
  answerQuery(api.backups.backups.settings, {}, settings);
  answerQuery(api.backups.backups.rpo, {}, rpo(Date.now() - 10 * 60_000));
  answerQuery(api.backups.backups.list, {}, [backupRow({})]);
  answerRestores();
  answerQuery(api.backups.restore.rowsNow, {}, { counted: false, tables: [], limit: 1000 });
});

/** The restores the page lists, on a deployment whose app has one table. */
function answerRestores(...restores: Restores["restores"]) {
  answerQuery(api.backups.restore.list, {}, { appTables: ["tasks"], restores });
}

describe("Backups page", () => {
  it("shows skeletons while loading", async () => {
    signInAs("viewer");
    answerQuery(api.backups.backups.list, {}, undefined);
    renderApp("/backups");
    expect(await screen.findByText("Loading the backups…")).toBeInTheDocument();
  });

  it("says how to connect a deployment when none is", async () => {
    signInAs("operator");
    answerQuery(api.deployment.connection.status, {}, null);
    renderApp("/backups");
    expect(await screen.findByRole("heading", { name: "No deployment connected" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Settings → Connected deployment/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Backup now" })).not.toBeInTheDocument();
  });

  it("lets an operator back up with file storage and shows a refusal as a sentence", async () => {
    signInAs("operator");
    const backupNow = mutationOf(api.backups.backups.backupNow);
    renderApp("/backups");
    await userEvent.click(await screen.findByLabelText("Include file storage"));
    await userEvent.click(screen.getByRole("button", { name: "Backup now" }));
    expect(backupNow).toHaveBeenCalledWith({ includeStorage: true });
    expect(await screen.findByText(/Backup started/)).toBeInTheDocument();
    refuseNext(backupNow, "CONFLICT", "A backup requested by ada@example.com is still running.");
    await userEvent.click(screen.getByRole("button", { name: "Backup now" }));
    expect(
      await screen.findByText("A backup requested by ada@example.com is still running."),
    ).toBeInTheDocument();
  });

  it("shows live progress: Convex's message while exporting, a bar while copying, and a failure with its remedy", async () => {
    signInAs("viewer");
    answerQuery(api.backups.backups.list, {}, [
      backupRow({
        _id: "b3" as BackupRow["_id"],
        name: "b-exporting",
        status: { state: "exporting", progressMessage: "Backing up tasks: 2 / 5 documents" },
      }),
      backupRow({
        _id: "b2" as BackupRow["_id"],
        name: "b-copying",
        status: { state: "copying", bytesCopied: 500, totalBytes: 1000 },
      }),
      backupRow({
        _id: "b1" as BackupRow["_id"],
        name: "b-failed",
        status: {
          state: "failed",
          step: "export",
          reason: "The deploy key was refused by happy-otter-123.",
          remedy: "Check the key.",
        },
      }),
    ]);
    renderApp("/backups");
    expect(await screen.findByText("Backing up tasks: 2 / 5 documents")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Progress of b-copying" })).toHaveAttribute("value", "50");
    expect(
      screen.getByText(
        "The export on the deployment failed: The deploy key was refused by happy-otter-123. Check the key.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel" })).not.toBeInTheDocument();
  });

  it("deletes only after the admin types the backup's name", async () => {
    signInAs("admin");
    const remove = mutationOf(api.backups.backups.remove);
    renderApp("/backups");
    const item = await screen.findByRole("listitem", { name: "Backup happy-otter-123-2026-11-24-093000" });
    await userEvent.click(within(item).getByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this backup?" });
    const confirm = within(dialog).getByRole("button", { name: "Delete backup" });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/to confirm/), "happy-otter-123-2026-11-24-093000");
    await userEvent.click(confirm);
    expect(remove).toHaveBeenCalledWith({
      backupId: "b1",
      confirmation: "happy-otter-123-2026-11-24-093000",
    });
  });

  it("hides operator and admin controls from a viewer", async () => {
    signInAs("viewer");
    renderApp("/backups");
    expect(await screen.findByText(/Operators and admins can take a backup/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Download" })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Backup schedule" })).not.toBeInTheDocument();
  });

  it("shows the RPO breached when the newest verified backup is older than the target", async () => {
    signInAs("viewer");
    answerQuery(api.backups.backups.rpo, {}, rpo(Date.now() - 3 * HOUR));
    renderApp("/backups");
    expect(await screen.findByText("Breached")).toBeInTheDocument();
    expect(screen.getByText(/newest verified backup is 3 hours old/)).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Recovery point objective" })).toHaveClass("tile-alert");
  });

  it("warns, without alarming, when the RPO is at risk", async () => {
    signInAs("viewer");
    answerQuery(api.backups.backups.rpo, {}, rpo(Date.now() - 50 * 60_000));
    renderApp("/backups");
    expect(await screen.findByText("At risk")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Recovery point objective" })).toHaveClass("tile-warning");
  });

  it("sends a weekly schedule an admin sets, and checks the time first", async () => {
    signInAs("admin");
    const setSchedule = mutationOf(api.backups.backups.setSchedule);
    renderApp("/backups");
    await userEvent.selectOptions(await screen.findByLabelText("Scheduled backups"), "weekly");
    await userEvent.selectOptions(screen.getByLabelText("Day"), "2");
    const time = screen.getByLabelText(/^Time/);
    await userEvent.clear(time);
    await userEvent.type(time, "7pm");
    expect(screen.getByText(/HH:MM on a 24-hour clock/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save schedule" })).toBeDisabled();
    await userEvent.clear(time);
    await userEvent.type(time, "03:15");
    await userEvent.click(screen.getByRole("button", { name: "Save schedule" }));
    expect(setSchedule).toHaveBeenCalledWith({
      schedule: { cadence: "weekly", time: "03:15", weekday: 2, includeStorage: false },
    });
  });

  it("restores into the console's own deployment only after saying so and the deployment's name is typed", async () => {
    signInAs("admin");
    answerQuery(api.deployment.connection.status, {}, { ...connection, isConsoleItself: true });
    answerQuery(api.backups.backups.list, {}, [
      backupRow({
        tables: [
          { component: "", table: "tasks", rows: 5 },
          { component: "", table: "users", rows: 3 },
        ],
      }),
    ]);
    answerQuery(
      api.backups.restore.rowsNow,
      {},
      {
        counted: true,
        tables: [{ table: "tasks", rows: 2, more: false }],
        limit: 1000,
      },
    );
    const restore = mutationOf(api.backups.restore.restore);
    renderApp("/backups");
    const ownSentence =
      "This deployment is the console's own: a restore replaces only tasks; users, sessions, audit, backups and settings are kept.";
    // Said on the page itself, before any restore is started.
    expect(await screen.findByRole("note")).toHaveTextContent(ownSentence);
    await userEvent.click(await screen.findByRole("button", { name: "Restore" }));
    const dialog = screen.getByRole("dialog", { name: /Restore happy-otter-123-2026-11-24-093000/ });
    expect(within(dialog).getByText(ownSentence)).toBeInTheDocument();
    const rows = within(dialog)
      .getAllByRole("row")
      .map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
    // Only what is replaced is tabled; the console's own tables, however many, are one line.
    expect(rows.slice(1)).toEqual([["tasks", "5", "2"]]);
    expect(
      within(dialog).getByText("1 console table in the backup is kept as it is and not shown."),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/users \(3 rows\)/)).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("radio")).not.toBeInTheDocument();
    const confirm = within(dialog).getByRole("button", { name: "Restore" });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/to confirm/), "happy-otter-123");
    await userEvent.click(confirm);
    expect(restore).toHaveBeenCalledWith({
      backupId: "b1",
      confirmation: "happy-otter-123",
      mode: "replace",
      tables: ["tasks"],
    });
  });

  it("shows a running restore's progress and Convex's summary live", async () => {
    signInAs("viewer");
    answerRestores(
      restoreRow({
        _id: fakeId("restores", "r1"),
        status: { state: "importing", progressMessage: 'Importing "tasks" (3 documents)' },
        messageToConfirm: "Import change summary:\ntasks | 5 | 3 of 3 |",
      }),
    );
    renderApp("/backups");
    expect(await screen.findByRole("progressbar", { name: "Restore progress" })).toHaveAttribute(
      "value",
      "80",
    );
    expect(screen.getByText('Importing "tasks" (3 documents)')).toBeInTheDocument();
    expect(screen.getByText(/tasks \| 5 \| 3 of 3/)).toBeInTheDocument();
  });
  it("pauses on Convex's summary until an admin performs the import or cancels it", async () => {
    signInAs("admin");
    const waiting: Restores["restores"][number] = restoreRow({
      _id: fakeId("restores", "r2"),
      status: { state: "waiting_for_confirmation" },
      importId: "import-1",
      messageToConfirm: "Import change summary:\ntasks | 5 | 3 of 3 |",
    });
    answerRestores(waiting);
    const perform = mutationOf(api.backups.restore.performImport);
    const cancel = mutationOf(api.backups.restore.cancelImport);
    renderApp("/backups");
    expect(await screen.findByText(/tasks \| 5 \| 3 of 3/)).toBeVisible();
    expect(screen.getByText(/Nothing on the deployment has changed yet/)).toBeInTheDocument();
    expect(perform).not.toHaveBeenCalled();
    refuseNext(cancel, "CONFLICT", "This restore is not waiting for confirmation any more.");
    await userEvent.click(screen.getByRole("button", { name: "Cancel the import" }));
    expect(
      await screen.findByText("This restore is not waiting for confirmation any more."),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Perform import into happy-otter-123" }));
    expect(perform).toHaveBeenCalledWith({ restoreId: "r2" });
    expect(cancel).toHaveBeenCalledWith({ restoreId: "r2" });
  });

  it("shows a viewer the waiting summary without the buttons", async () => {
    signInAs("viewer");
    answerRestores(
      restoreRow({
        _id: fakeId("restores", "r3"),
        status: { state: "waiting_for_confirmation" },
        messageToConfirm: "Import change summary:",
      }),
    );
    renderApp("/backups");
    expect(await screen.findByText("An admin performs or cancels the import.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Perform import/ })).not.toBeInTheDocument();
  });

  it("a restore into another deployment says its current rows are unknown rather than guessing", async () => {
    signInAs("admin");
    renderApp("/backups");
    await userEvent.click(await screen.findByRole("button", { name: "Restore" }));
    const dialog = screen.getByRole("dialog", { name: /Restore happy-otter-123-2026-11-24-093000/ });
    expect(within(dialog).getByRole("cell", { name: "unknown" })).toBeInTheDocument();
    expect(within(dialog).getByText(/Convex's summary shows them before you confirm/)).toBeInTheDocument();
  });
});
