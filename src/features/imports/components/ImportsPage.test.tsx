import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeId, mutationOf, resetFakeBackend, signInAs } from "@/test/fakeConvex";
import { renderApp } from "@/test/renderApp";
import type { ImportRow } from "../Imports.utils";
import { VALID_PREVIEW } from "../imports.fixtures";
import { ImportsPage } from "./ImportsPage";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const importRow = (id: string, overrides: Partial<ImportRow> = {}): ImportRow => ({
  _id: fakeId("imports", id),
  _creationTime: 0,
  fileName: "tasks.csv",
  sizeBytes: 512_000,
  format: "csv",
  targetTable: "tasks",
  deployment: "prod",
  status: { state: "ready" },
  requestedBy: "ada@example.com",
  requestedById: fakeId("users", "me"),
  requestedAt: Date.UTC(2026, 10, 24, 9),
  partCount: 1,
  sha256: "ab12",
  preview: VALID_PREVIEW,
  ...overrides,
});

/** Picks append and sends; returns the submit mutation to check what it was sent. */
async function sendAppending(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("radio", { name: /append/ }));
  await user.click(screen.getByRole("button", { name: "Send to the deployment" }));
  return mutationOf(api.imports.imports.submit);
}

function answerImports(imports: ImportRow[], onlyAppTables = false) {
  answerQuery(
    api.imports.imports.list,
    {},
    {
      imports,
      deployment: "prod",
      onlyAppTables,
      appTables: ["tasks", "users"],
      columns: {
        tasks: [
          { name: "text", type: "a string", optional: false },
          { name: "userId", type: "an id of users", optional: false },
        ],
      },
    },
  );
  // No earlier import of the same file, unless a test says otherwise for that import.
  for (const row of imports) {
    answerQuery(api.imports.imports.repeatOf, { importId: row._id }, null);
  }
}

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  resetFakeBackend();
  signInAs("operator");
  answerImports([]);
  vi.stubGlobal("fetch", fetchMock);
  fetchMock.mockReset();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("uploading", () => {
  it("uploads the chosen file into storage in order and then asks for the preview", async () => {
    const user = userEvent.setup();
    mutationOf(api.imports.imports.begin).mockResolvedValue(fakeId("imports", "new"));
    mutationOf(api.imports.imports.uploadUrl).mockResolvedValue("https://storage/upload");
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ bytesUploaded: 17 })));
    render(<ImportsPage />);

    await user.upload(screen.getByLabelText("File"), new File(["text\nRotate keys\n"], "tasks.csv"));
    expect(screen.getByLabelText("Table to import into")).toHaveValue("tasks");
    await user.click(screen.getByRole("button", { name: "Upload and preview" }));

    await waitFor(() =>
      expect(mutationOf(api.imports.imports.finishUpload)).toHaveBeenCalledWith({ importId: "new" }),
    );
    expect(mutationOf(api.imports.imports.begin)).toHaveBeenCalledWith({
      fileName: "tasks.csv",
      sizeBytes: 17,
      targetTable: "tasks",
    });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("https://storage/upload");
    expect(await (init?.body as Blob).text()).toBe("text\nRotate keys\n");
  });

  it("says in place why the console refused a chunk", async () => {
    const user = userEvent.setup();
    mutationOf(api.imports.imports.begin).mockResolvedValue(fakeId("imports", "new"));
    mutationOf(api.imports.imports.uploadUrl).mockResolvedValue("https://site/imports/upload?token=t");
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ message: "This upload has been canceled or has finished." }), {
        status: 409,
      }),
    );
    render(<ImportsPage />);
    await user.upload(screen.getByLabelText("File"), new File(["text\n"], "tasks.csv"));
    await user.click(screen.getByRole("button", { name: "Upload and preview" }));
    expect(await screen.findByText("This upload has been canceled or has finished.")).toBeInTheDocument();
    expect(mutationOf(api.imports.imports.finishUpload)).not.toHaveBeenCalled();
  });

  it("shows a refused file's reason as a sentence and sends nothing", async () => {
    // The picker's filter aside, as a drag-and-drop or another browser would allow.
    const user = userEvent.setup({ applyAccept: false });
    mutationOf(api.imports.imports.begin).mockRejectedValue(
      new ConvexError({
        code: "VALIDATION_ERROR",
        message: "Choose a .csv, .jsonl, .json or .zip file: Convex imports only these.",
      }),
    );
    render(<ImportsPage />);
    await user.upload(screen.getByLabelText("File"), new File(["x"], "notes.txt"));
    await user.click(screen.getByRole("button", { name: "Upload and preview" }));
    expect(await screen.findByText(/Convex imports only these\./)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("drives the bar from the stored bytes and cancels while uploading", async () => {
    const user = userEvent.setup();
    answerImports([
      importRow("i1", { status: { state: "uploading", bytesUploaded: 128_000 }, preview: undefined }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("value", "25");
    expect(screen.getByText("128.0 KB of 512.0 KB stored in the console.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel import" }));
    expect(mutationOf(api.imports.imports.cancel)).toHaveBeenCalledWith({ importId: "i1" });
  });
});

describe("preview and mode", () => {
  it("shows counts, fields with Convex types, first rows and warnings", () => {
    answerImports([importRow("i1")]);
    render(<ImportsPage />);
    const preview = screen.getByRole("region", { name: "Preview" });
    expect(preview).toHaveTextContent("10,000 rows read, 10,000 valid.");
    const fields = within(preview).getByRole("table", { name: "Fields and the types Convex will give them" });
    expect(within(fields).getByRole("row", { name: "zip float64 2" })).toBeInTheDocument();
    expect(within(preview).getByText(/"text":"Rotate keys"/)).toBeInTheDocument();
    expect(within(preview).getByRole("list", { name: "Warnings" })).toHaveTextContent(
      "Column `zip` has leading zeros",
    );
  });

  it("lists every invalid line with its number and offers no send until the file is fixed", () => {
    answerImports([
      importRow("i1", {
        preview: {
          ...VALID_PREVIEW,
          validRows: 9_999,
          invalidCount: 1,
          invalidLines: [{ line: 5002, reason: "expected 4 cells, found 3" }],
        },
      }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByRole("list", { name: "Invalid lines" })).toHaveTextContent(
      "Line 5,002: expected 4 cells, found 3",
    );
    expect(screen.getByText(/1 invalid line: Convex would stop at the first/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Send to the deployment" })).not.toBeInTheDocument();
  });

  it("sends with requireEmpty by default, or append when picked", async () => {
    const user = userEvent.setup();
    answerImports([importRow("i1")]);
    render(<ImportsPage />);
    expect(screen.getByRole("radio", { name: /requireEmpty/ })).toBeChecked();
    expect(screen.queryByRole("radio", { name: /replaceAll/ })).not.toBeInTheDocument();
    expect(await sendAppending(user)).toHaveBeenCalledWith({
      importId: "i1",
      mode: "append",
      confirmation: undefined,
    });
  });

  it("asks for the table's name before replacing its rows", async () => {
    const user = userEvent.setup();
    answerImports([importRow("i1")]);
    render(<ImportsPage />);
    await user.click(screen.getByRole("radio", { name: /\(replace\)/ }));
    const send = screen.getByRole("button", { name: "Send to the deployment" });
    expect(send).toBeDisabled();
    await user.type(screen.getByLabelText(/to confirm/), "tasks");
    await user.click(send);
    expect(mutationOf(api.imports.imports.submit)).toHaveBeenCalledWith({
      importId: "i1",
      mode: "replace",
      confirmation: "tasks",
    });
  });

  it("offers replaceAll for a ZIP to admins only", () => {
    const zip = importRow("z1", { fileName: "snapshot.zip", format: "zip", targetTable: null });
    answerImports([zip]);
    const { unmount } = render(<ImportsPage />);
    expect(screen.queryByRole("radio", { name: /replaceAll/ })).not.toBeInTheDocument();
    unmount();
    signInAs("admin");
    render(<ImportsPage />);
    expect(screen.getByRole("radio", { name: /replaceAll/ })).toBeInTheDocument();
  });

  it("never offers replaceAll, even to an admin, when the target is the console's own deployment", () => {
    const zip = importRow("z1", { fileName: "snapshot.zip", format: "zip", targetTable: null });
    answerImports([zip], true);
    signInAs("admin");
    render(<ImportsPage />);
    expect(screen.getByRole("radio", { name: /replace\b/ })).toBeInTheDocument();
    expect(screen.queryByRole("radio", { name: /replaceAll/ })).not.toBeInTheDocument();
  });
});

describe("typing a CSV by the table's schema", () => {
  const convexRules: NonNullable<ImportRow["preview"]> = {
    ...VALID_PREVIEW,
    validRows: 0,
    fields: [{ name: "completed", types: ["string"], empty: 0 }],
    invalidCount: 10_000,
    invalidLines: [
      { line: 2, reason: 'Field `completed` is "true"; the table\'s validator wants a boolean.' },
    ],
    warnings: ["The table requires `completed` to be a boolean, which no CSV cell can become."],
  };
  const schemaTyped: NonNullable<ImportRow["preview"]> = {
    ...VALID_PREVIEW,
    fields: [{ name: "completed", types: ["boolean"], empty: 0 }],
    warnings: [],
  };
  const typedRow = () => importRow("i1", { preview: convexRules, schemaTypedPreview: schemaTyped });

  it("is on by default: the preview shows the types the console will send, and sending says so", async () => {
    const user = userEvent.setup();
    answerImports([typedRow()]);
    render(<ImportsPage />);
    const option = screen.getByRole("checkbox", { name: "Type cells by the table's schema" });
    expect(option).toBeChecked();
    expect(option).toHaveAccessibleDescription(/JSON Lines/);
    const preview = screen.getByRole("region", { name: "Preview" });
    expect(within(preview).getByRole("row", { name: "completed boolean 0" })).toBeInTheDocument();
    expect(within(preview).queryByRole("list", { name: "Warnings" })).not.toBeInTheDocument();
    expect(await sendAppending(user)).toHaveBeenCalledWith({
      importId: "i1",
      mode: "append",
      confirmation: undefined,
      typeBySchema: true,
    });
  });

  it("turned off, Convex's own rules apply: their invalid lines and warnings, and no send", async () => {
    const user = userEvent.setup();
    answerImports([typedRow()]);
    render(<ImportsPage />);
    await user.click(screen.getByRole("checkbox", { name: "Type cells by the table's schema" }));
    expect(screen.getByRole("list", { name: "Invalid lines" })).toHaveTextContent(
      'Line 2: Field `completed` is "true"',
    );
    expect(screen.getByRole("list", { name: "Warnings" })).toHaveTextContent("no CSV cell can become");
    expect(screen.queryByRole("button", { name: "Send to the deployment" })).not.toBeInTheDocument();
  });

  it("is not offered to a viewer, and the record says how the file was sent", () => {
    signInAs("viewer");
    answerImports([
      typedRow(),
      importRow("i2", {
        mode: "append",
        typedBySchema: true,
        schemaTypedPreview: schemaTyped,
        status: { state: "completed", rowsWritten: 10_000 },
      }),
    ]);
    render(<ImportsPage />);
    expect(
      screen.queryByRole("checkbox", { name: "Type cells by the table's schema" }),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText(/typed by the schema of tasks, sent as JSON Lines/).length).toBeGreaterThan(0);
  });
});

describe("confirmation, progress and result", () => {
  it("shows Convex's message to confirm in the console's words and confirms it", async () => {
    const user = userEvent.setup();
    answerImports([
      importRow("i1", {
        mode: "append",
        status: {
          state: "waiting_for_confirmation",
          messageToConfirm: [
            "Import change summary:",
            "table | create | delete |",
            "-------------------------",
            "tasks | 10,000 | 0 of 12 |",
            "Once the import has started, it will run in the background.",
            "Interrupting `npx convex import` will not cancel it.",
          ].join("\n"),
        },
      }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByText("tasks: adds 10,000 rows to its 12 rows.")).toBeInTheDocument();
    expect(screen.queryByText(/npx convex import/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Confirm and import" }));
    expect(mutationOf(api.imports.imports.confirm)).toHaveBeenCalledWith({ importId: "i1" });
    expect(screen.getByRole("button", { name: "Cancel import" })).toBeInTheDocument();
  });

  it("shows the bytes sent, Convex's progress message, and the rows written", () => {
    answerImports([importRow("i1", { mode: "append", status: { state: "sending", bytesSent: 256_000 } })]);
    const { unmount } = render(<ImportsPage />);
    expect(screen.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("value", "50");
    unmount();

    answerImports([
      importRow("i1", {
        mode: "append",
        status: { state: "importing", progressMessage: 'Importing "tasks" (4,000 documents)' },
      }),
    ]);
    const second = render(<ImportsPage />);
    expect(screen.getByText("4,000 rows written to tasks so far.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel import" })).not.toBeInTheDocument();
    second.unmount();

    answerImports([importRow("i1", { mode: "append", status: { state: "completed", rowsWritten: 10_000 } })]);
    render(<ImportsPage />);
    expect(screen.getAllByText("10,000 rows written.").length).toBeGreaterThan(0);
  });

  it("shows Convex's error as a sentence", () => {
    answerImports([
      importRow("i1", {
        mode: "requireEmpty",
        status: { state: "failed", step: "import", reason: "table `tasks` is not empty" },
      }),
    ]);
    render(<ImportsPage />);
    expect(screen.getAllByText("Table `tasks` is not empty.").length).toBeGreaterThan(0);
  });
});

describe("history", () => {
  it("lists imports with their result, and shows one on request", async () => {
    const user = userEvent.setup();
    answerImports([
      importRow("i2", {
        fileName: "fixed.csv",
        mode: "append",
        status: { state: "completed", rowsWritten: 10 },
      }),
      importRow("i1", {
        fileName: "old.csv",
        mode: "replace",
        status: { state: "completed", rowsWritten: 3 },
      }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByRole("heading", { level: 2, name: /fixed\.csv → tasks/ })).toBeInTheDocument();
    const old = screen.getByRole("listitem", { name: "Import old.csv → tasks" });
    await user.click(within(old).getByRole("button", { name: "Show old.csv → tasks" }));
    expect(screen.getByRole("heading", { level: 2, name: /old\.csv → tasks/ })).toBeInTheDocument();
  });

  it("opens the pre-import backup on the Backups page without reloading the console", async () => {
    const user = userEvent.setup();
    answerImports([
      importRow("i1", {
        fileName: "old.csv",
        mode: "replace",
        preImportBackupId: fakeId("backups", "b1"),
        status: { state: "completed", rowsWritten: 3 },
      }),
    ]);
    const router = renderApp("/imports");
    const old = await screen.findByRole("listitem", { name: "Import old.csv → tasks" });
    const link = within(old).getByRole("link", { name: "Pre-import backup" });
    expect(link).toHaveAttribute("href", "/backups");
    await user.click(link);
    // A plain anchor would leave the in-app router where it was and ask the browser for a new page.
    expect(await screen.findByRole("heading", { level: 1, name: "Backups" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/backups");
  });

  it("lets an admin download the source file through a one-time link; an operator sees no download", async () => {
    const user = userEvent.setup();
    answerImports([importRow("i1", { status: { state: "completed", rowsWritten: 2 } })]);
    const { unmount } = render(<ImportsPage />);
    expect(screen.queryByRole("button", { name: /Download the source file/ })).not.toBeInTheDocument();
    unmount();

    signInAs("admin");
    mutationOf(api.imports.imports.sourceDownloadLink).mockResolvedValue({
      url: "https://site/backups/download?token=abc",
      fileName: "tasks.csv",
      expiresAt: 0,
    });
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    render(<ImportsPage />);
    await user.click(screen.getByRole("button", { name: "Download the source file of tasks.csv → tasks" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("https://site/backups/download?token=abc"));
    expect(mutationOf(api.imports.imports.sourceDownloadLink)).toHaveBeenCalledWith({ importId: "i1" });
  });

  it("shows a viewer the imports and no action controls", () => {
    signInAs("viewer");
    answerImports([
      importRow("i1"),
      importRow("i0", { status: { state: "waiting_for_confirmation", messageToConfirm: "summary" } }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByRole("region", { name: "Preview" })).toBeInTheDocument();
    expect(screen.queryByLabelText("File")).not.toBeInTheDocument();
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Send|Confirm|Cancel|Download/ })).not.toBeInTheDocument();
  });

  it("shows skeletons while the list loads", () => {
    answerQuery(api.imports.imports.list, {}, undefined);
    render(<ImportsPage />);
    expect(screen.getByText("Loading imports…")).toBeInTheDocument();
  });
});

describe("what really happened, and sending again", () => {
  const unknownOutcome = () =>
    importRow("i1", {
      mode: "append",
      status: {
        state: "outcome_unknown",
        step: "import",
        reason: "The local backend stopped during the import.",
        lastProgress: "Importing (4,000 / 150,000 documents)",
        rowsReported: 4000,
        rowsInFile: 150_000,
      },
      tableRows: { at: 0, counts: [{ table: "tasks", rows: 4012 }], problem: null },
    });

  it("says the outcome is unknown with Convex's last progress and the table's rows now, and sends the file again", async () => {
    const user = userEvent.setup();
    answerImports([unknownOutcome(), importRow("i2", { fileName: "other.csv" })]);
    render(<ImportsPage />);
    expect(
      screen.getAllByText(
        /^Outcome unknown: Convex last reported 4,000 of 150,000 rows; tasks holds 4,012 rows now\./,
      ).length,
    ).toBeGreaterThan(0);
    mutationOf(api.imports.imports.sendAgain).mockResolvedValueOnce(fakeId("imports", "i2"));
    await user.click(screen.getByRole("button", { name: "Send again" }));
    expect(mutationOf(api.imports.imports.sendAgain)).toHaveBeenCalledWith({ importId: "i1" });
    expect(
      await screen.findByRole("heading", { name: /other\.csv → tasks: Ready to import/ }),
    ).toBeInTheDocument();
  });

  it("flags requireEmpty when the target table has rows, before anything is sent", async () => {
    const user = userEvent.setup();
    answerImports([
      importRow("i1", { tableRows: { at: 0, counts: [{ table: "tasks", rows: 12 }], problem: null } }),
    ]);
    render(<ImportsPage />);
    expect(
      screen.getByText(
        "tasks holds 12 rows: Convex refuses requireEmpty for a table with rows, so choose append or replace.",
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send to the deployment" })).toBeDisabled();
    await user.click(screen.getByRole("radio", { name: /append/ }));
    expect(screen.getByRole("button", { name: "Send to the deployment" })).toBeEnabled();
  });

  it("warns before the same file is appended again, and sends only once the operator ticks that they checked", async () => {
    const user = userEvent.setup();
    answerImports([importRow("i1")]);
    answerQuery(
      api.imports.imports.repeatOf,
      { importId: fakeId("imports", "i1") },
      "An earlier import of this same file into tasks stopped with an unknown outcome: some of its rows may already be there, and appending again would add them twice.",
    );
    render(<ImportsPage />);
    await user.click(screen.getByRole("radio", { name: /append/ }));
    expect(screen.getByText(/appending again would add them twice/)).toBeInTheDocument();
    const send = screen.getByRole("button", { name: "Send to the deployment" });
    expect(send).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: /append this file again anyway/ }));
    await user.click(send);
    expect(mutationOf(api.imports.imports.submit)).toHaveBeenCalledWith({
      importId: "i1",
      mode: "append",
      confirmation: undefined,
      appendAgain: true,
    });
  });
});

describe("a file with problems, seen as a new user", () => {
  it("lists every problem by field at once with the columns tasks expects, and is not Ready", () => {
    answerImports([
      importRow("i1", {
        status: {
          state: "failed",
          step: "preview",
          reason:
            "None of the file's 3 rows can be imported: the problems are listed below; fix them and upload the file again.",
        },
        preview: {
          ...VALID_PREVIEW,
          rows: 3,
          validRows: 0,
          invalidCount: 3,
          invalidLines: [{ line: 2, reason: "Field `userId` is missing; the table requires it." }],
          problems: [
            { field: "userId", kind: "missing", wants: "an id of users", rows: 3, firstLines: [2, 3, 4] },
            { field: "createdAt", kind: "missing", wants: "a number", rows: 3, firstLines: [2, 3, 4] },
          ],
        },
      }),
    ]);
    render(<ImportsPage />);
    expect(screen.getByRole("heading", { name: /tasks\.csv → tasks: Failed/ })).toBeInTheDocument();
    const problems = screen.getByRole("list", { name: "Problems by field" });
    expect(
      within(problems)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual([
      "`userId` is missing in 3 rows (first on lines 2, 3, 4); the table requires an id of users.",
      "`createdAt` is missing in 3 rows (first on lines 2, 3, 4); the table requires a number.",
    ]);
    const columns = screen.getByRole("list", { name: "Columns tasks expects" });
    expect(within(columns).getByText("userId")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Send to the deployment" })).not.toBeInTheDocument();
  });
});
