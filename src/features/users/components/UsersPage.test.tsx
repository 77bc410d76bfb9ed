import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import type { FunctionReturnType } from "convex/server";
import { answerQuery, fakeId, mutationOf, resetFakeBackend } from "@/test/fakeConvex";
import { UsersPage } from "./UsersPage";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const DAY = 24 * 60 * 60 * 1000;
type UserRow = FunctionReturnType<typeof api.users.users.list>[number];
const ADMIN: UserRow = {
  _id: fakeId("users", "u-admin"),
  _creationTime: Date.now() - 30 * DAY,
  email: "ada@example.com",
  name: "Ada",
  role: "admin",
  lockedUntil: null,
};
const BOB: UserRow = {
  _id: fakeId("users", "u-bob"),
  _creationTime: Date.now() - 2 * DAY,
  email: "bob@example.com",
  name: null,
  role: "operator",
  lockedUntil: null,
};

beforeEach(() => {
  resetFakeBackend();
  answerQuery(
    api.users.users.me,
    {},
    {
      _id: ADMIN._id,
      email: ADMIN.email,
      name: ADMIN.name,
      role: "admin",
    },
  );
  answerQuery(api.users.users.list, {}, [ADMIN, BOB]);
  answerQuery(api.users.invites.listPending, {}, [
    {
      _id: fakeId("invites", "i1"),
      email: "carol@example.com",
      role: "viewer",
      invitedByEmail: ADMIN.email,
      createdAt: Date.now() - 8 * DAY,
      expiresAt: Date.now() - DAY,
      expired: true,
      hasLink: true,
    },
    {
      _id: fakeId("invites", "i0"),
      email: "olga@example.com",
      role: "viewer",
      invitedByEmail: ADMIN.email,
      createdAt: Date.now() - DAY,
      expiresAt: Date.now() + 6 * DAY,
      expired: false,
      hasLink: false,
    },
  ]);
});

function usersTable() {
  return screen.getByRole("table", { name: "Users" });
}

describe("removing a user", () => {
  it("keeps Remove disabled until the user's email is typed exactly", async () => {
    const user = userEvent.setup();
    render(<UsersPage />);
    await user.click(screen.getByRole("button", { name: "Remove bob@example.com" }));

    const dialog = screen.getByRole("dialog", { name: "Remove bob@example.com?" });
    expect(dialog).toHaveTextContent("Their sessions end at once and they lose access");
    const confirm = within(dialog).getByRole("button", { name: "Remove user" });
    const input = within(dialog).getByLabelText(/to confirm/);
    expect(confirm).toBeDisabled();

    await user.type(input, "bob@example.co");
    expect(confirm).toBeDisabled();
    await user.type(input, "m");
    expect(confirm).toBeEnabled();

    await user.click(confirm);
    expect(mutationOf(api.users.users.remove)).toHaveBeenCalledWith({ userId: "u-bob" });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("shows the server's refusal with its code inside the dialog", async () => {
    mutationOf(api.users.users.remove).mockRejectedValue(
      new ConvexError({
        code: "LAST_ADMIN",
        message: "bob@example.com is the last admin and cannot be removed.",
      }),
    );
    const user = userEvent.setup();
    render(<UsersPage />);
    await user.click(screen.getByRole("button", { name: "Remove bob@example.com" }));
    const dialog = screen.getByRole("dialog");
    await user.type(within(dialog).getByLabelText(/to confirm/), "bob@example.com");
    await user.click(within(dialog).getByRole("button", { name: "Remove user" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("LAST_ADMIN");
    expect(alert).toHaveTextContent("cannot be removed");
  });

  it("does not offer removing your own account", () => {
    render(<UsersPage />);
    expect(screen.getByRole("button", { name: "Remove ada@example.com" })).toBeDisabled();
  });
});

describe("users table", () => {
  it("changes a role and shows a refusal in place", async () => {
    const setRole = mutationOf(api.users.users.setRole).mockRejectedValue(
      new ConvexError({
        code: "LAST_ADMIN",
        message: "ada@example.com is the last admin and cannot be demoted.",
      }),
    );
    const user = userEvent.setup();
    render(<UsersPage />);
    await user.selectOptions(screen.getByLabelText("Role of ada@example.com"), "viewer");
    expect(setRole).toHaveBeenCalledWith({ userId: "u-admin", role: "viewer" });
    expect(await within(usersTable()).findByRole("alert")).toHaveTextContent("LAST_ADMIN");
  });

  it("sorts by a column when its header is clicked", async () => {
    const user = userEvent.setup();
    render(<UsersPage />);
    const emailHeader = within(usersTable()).getByRole("columnheader", { name: /Email/ });
    expect(emailHeader).toHaveAttribute("aria-sort", "ascending");
    const emails = () =>
      within(usersTable())
        .getAllByRole("row")
        .slice(1)
        .map((row) => within(row).getAllByRole("cell")[0]?.textContent);
    expect(emails()).toEqual(["ada@example.com", "bob@example.com"]);
    await user.click(within(emailHeader).getByRole("button"));
    expect(emailHeader).toHaveAttribute("aria-sort", "descending");
    expect(emails()).toEqual(["bob@example.com", "ada@example.com"]);
  });

  it("shows a skeleton while users load", () => {
    answerQuery(api.users.users.list, {}, undefined);
    render(<UsersPage />);
    expect(screen.getByText("Loading users…")).toBeInTheDocument();
  });

  it("shows a failing query's code in place and keeps the rest of the page", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    answerQuery(
      api.users.users.list,
      {},
      new ConvexError({ code: "UNAUTHORIZED", message: "This needs the admin role." }),
    );
    render(<UsersPage />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Could not load users");
    expect(alert).toHaveTextContent("UNAUTHORIZED");
    expect(screen.getByRole("table", { name: "Pending invites" })).toBeInTheDocument();
  });
});

describe("invites", () => {
  it("lists pending invites with an expired badge and revokes one", async () => {
    const user = userEvent.setup();
    render(<UsersPage />);
    const invites = screen.getByRole("table", { name: "Pending invites" });
    const row = within(invites).getByRole("row", { name: /carol@example.com/ });
    expect(within(row).getByText("expired")).toBeInTheDocument();
    const legacy = within(invites).getByRole("row", { name: /olga@example.com/ });
    expect(legacy).toHaveTextContent("no link: invite again");
    expect(row).not.toHaveTextContent("no link");
    await user.click(within(row).getByRole("button", { name: "Revoke invite for carol@example.com" }));
    expect(mutationOf(api.users.invites.revoke)).toHaveBeenCalledWith({ inviteId: "i1" });
  });

  it("invites an email with a role, shows its one-time link once with a copy button, and reports conflicts", async () => {
    const create = mutationOf(api.users.invites.create).mockResolvedValue({
      inviteId: fakeId("invites", "i2"),
      token: "tok_0123456789",
      email: "dan@example.com",
      role: "operator",
      expiresAt: Date.now() + 7 * DAY,
    });
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    render(<UsersPage />);
    await user.type(screen.getByLabelText("Email to invite"), "dan@example.com");
    await user.selectOptions(screen.getByLabelText("Role"), "operator");
    await user.click(screen.getByRole("button", { name: "Invite" }));
    expect(create).toHaveBeenCalledWith({ email: "dan@example.com", role: "operator" });
    const link = `${window.location.origin}/#invite=tok_0123456789`;
    const shown = await screen.findByLabelText("Invite link for dan@example.com");
    expect(shown).toHaveValue(link);
    expect(screen.getByText(/shown only this once/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Copy invite link" }));
    expect(writeText).toHaveBeenCalledWith(link);
    expect(await screen.findByRole("button", { name: "Copied" })).toBeInTheDocument();

    create.mockRejectedValue(
      new ConvexError({ code: "CONFLICT", message: "bob@example.com already has an account." }),
    );
    await user.type(screen.getByLabelText("Email to invite"), "bob@example.com");
    await user.click(screen.getByRole("button", { name: "Invite" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("CONFLICT");
    expect(alert).toHaveTextContent("already has an account");
    expect(screen.queryByLabelText("Invite link for dan@example.com")).not.toBeInTheDocument();
  });
});

describe("lock-outs", () => {
  it("shows until when a user is locked out and lets an admin clear the lock", async () => {
    const until = Date.now() + 5 * 60_000;
    answerQuery(api.users.users.list, {}, [ADMIN, { ...BOB, lockedUntil: until }]);
    const clearLock = mutationOf(api.users.users.clearLock);
    const user = userEvent.setup();
    render(<UsersPage />);
    const row = within(usersTable()).getByRole("row", { name: /bob@example.com/ });
    expect(within(row).getByText(/Locked until/)).toBeInTheDocument();
    expect(within(usersTable()).getByRole("row", { name: /ada@example.com/ })).not.toHaveTextContent(
      "Locked",
    );
    await user.click(within(row).getByRole("button", { name: "Clear lock for bob@example.com" }));
    expect(clearLock).toHaveBeenCalledWith({ userId: "u-bob" });
  });

  it("counts down a lock that ends within two minutes instead of reading it as just past", () => {
    answerQuery(api.users.users.list, {}, [ADMIN, { ...BOB, lockedUntil: Date.now() + 100_000 }]);
    render(<UsersPage />);
    const row = within(usersTable()).getByRole("row", { name: /bob@example.com/ });
    expect(within(row).getByText(/Locked until/)).toHaveTextContent("in 2 minutes");
    expect(row).not.toHaveTextContent("just now");
  });
});
