import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeBackend, resetFakeBackend } from "@/test/fakeConvex";
import { SignInScreen } from "./SignInScreen";

vi.mock("convex/react", async () => (await import("@/test/fakeConvex")).convexReactModule);
vi.mock("@convex-dev/auth/react", async () => (await import("@/test/fakeConvex")).convexAuthReactModule);

const STRONG_PASSWORD = "correct horse battery";

afterEach(() => {
  vi.restoreAllMocks();
});

beforeEach(() => {
  resetFakeBackend();
  answerQuery(api.users.users.bootstrapStatus, {}, { needsFirstAdmin: false });
});

async function fillSignIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  return user;
}

describe("sign in", () => {
  it("sends email, password and the signIn flow to the password provider", async () => {
    fakeBackend.signIn.mockResolvedValue({ signingIn: true });
    render(<SignInScreen />);
    const user = await fillSignIn("ada@example.com", STRONG_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(fakeBackend.signIn).toHaveBeenCalledWith("password", {
      email: "ada@example.com",
      password: STRONG_PASSWORD,
      flow: "signIn",
    });
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says the email or password is wrong", async () => {
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({ code: "INVALID_CREDENTIALS", message: "credentials rejected" }),
    );
    render(<SignInScreen />);
    const user = await fillSignIn("ada@example.com", "not my password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password");
  });

  it("tells the operator to wait after too many attempts", async () => {
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({ code: "RATE_LIMIT_EXCEEDED", message: "Too many failed attempts." }),
    );
    render(<SignInScreen />);
    const user = await fillSignIn("ada@example.com", "guess guess guess");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts");
  });

  it("says when a locked account may try again, as a time", async () => {
    const retryAt = new Date(2026, 10, 24, 14, 7).getTime();
    vi.spyOn(Date, "now").mockReturnValue(retryAt - 6 * 60_000);
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({
        code: "RATE_LIMIT_EXCEEDED",
        message: "Too many failed sign-in attempts. Try again after 13:07 UTC.",
        retryAt,
      }),
    );
    render(<SignInScreen />);
    const user = await fillSignIn("ada@example.com", "guess guess guess");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(/Try again at 14:07 \(in 6 minutes\)/);
    expect(alert).toHaveTextContent("an admin can clear the lock");
  });

  it("disables submit while pending, then reports an unreachable backend after the timeout", async () => {
    fakeBackend.signIn.mockReturnValue(new Promise(() => {}));
    render(<SignInScreen timeoutMs={50} />);
    const user = await fillSignIn("ada@example.com", STRONG_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByRole("button", { name: "Signing in…" })).toBeDisabled();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Can't reach the backend at http://127.0.0.1:3210",
    );
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("warns while the client cannot connect", () => {
    fakeBackend.connection = {
      ...fakeBackend.connection,
      isWebSocketConnected: false,
      hasEverConnected: false,
      connectionRetries: 3,
    };
    render(<SignInScreen />);
    expect(screen.getByText(/Can't reach the backend at/)).toHaveTextContent(
      "Can't reach the backend at http://127.0.0.1:3210 — retrying",
    );
  });
});

describe("sign up", () => {
  async function openSignUp() {
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Create an account" }));
    return user;
  }

  it("opens on sign-up on an empty deployment and says the first account becomes admin", async () => {
    answerQuery(api.users.users.bootstrapStatus, {}, { needsFirstAdmin: true });
    render(<SignInScreen />);
    expect(screen.getByRole("heading", { name: "Create an account" })).toBeInTheDocument();
    expect(screen.getByText("You'll be the first admin of this console.")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("says sign-up needs an invite link once an admin exists", async () => {
    render(<SignInScreen />);
    await openSignUp();
    expect(screen.getByText(/Sign-up needs the invite link an admin sent you/)).toBeInTheDocument();
    expect(screen.queryByText(/first admin/)).not.toBeInTheDocument();
  });

  describe("from an invite link", () => {
    beforeEach(() => {
      window.history.replaceState(null, "", "/#invite=tok_abc-123");
      return () => window.history.replaceState(null, "", "/");
    });

    it("opens sign-up and sends the link's token with the sign-up", async () => {
      fakeBackend.signIn.mockResolvedValue({ signingIn: true });
      render(<SignInScreen />);
      expect(screen.getByRole("heading", { name: "Create an account" })).toBeInTheDocument();
      expect(screen.getByText(/You are signing up with an invite link/)).toBeInTheDocument();
      const user = await fillSignIn("ops@example.com", STRONG_PASSWORD);
      await user.click(screen.getByRole("button", { name: "Create account" }));
      expect(fakeBackend.signIn).toHaveBeenCalledWith("password", {
        email: "ops@example.com",
        password: STRONG_PASSWORD,
        flow: "signUp",
        name: "",
        invite: "tok_abc-123",
      });
      expect(window.location.hash).toBe("");
      expect(window.location.search).toBe("");
    });

    it("does not call its own link used once the sign-up with it succeeded", async () => {
      const usable = {
        usable: true as const,
        email: "ops@example.com",
        role: "operator" as const,
        expiresAt: Date.now() + 86_400_000,
      };
      answerQuery(api.users.invites.linkStatus, { token: "tok_abc-123" }, usable);
      fakeBackend.signIn.mockResolvedValue({ signingIn: true });
      const view = render(<SignInScreen />);
      const user = await fillSignIn("ops@example.com", STRONG_PASSWORD);
      await user.click(screen.getByRole("button", { name: "Create account" }));
      // The accepted invite's status updates live before the signed-in shell replaces this screen.
      answerQuery(
        api.users.invites.linkStatus,
        { token: "tok_abc-123" },
        {
          usable: false,
          problem:
            "This invite link has already been used. Sign in instead, or ask an admin for a new invite.",
        },
      );
      view.rerender(<SignInScreen />);
      expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    });

    it("names the invited email and role, and fills in the email", () => {
      answerQuery(
        api.users.invites.linkStatus,
        { token: "tok_abc-123" },
        {
          usable: true,
          email: "ops@example.com",
          role: "operator",
          expiresAt: Date.now() + 86_400_000,
        },
      );
      render(<SignInScreen />);
      expect(screen.getByText(/invite link for ops@example.com as operator/)).toBeInTheDocument();
      expect(screen.getByLabelText("Email")).toHaveValue("ops@example.com");
    });

    it("says at once, before anything is typed, why a link no longer works", () => {
      answerQuery(
        api.users.invites.linkStatus,
        { token: "tok_abc-123" },
        {
          usable: false,
          problem: "This invite link has expired. Ask an admin of this console to invite you again.",
        },
      );
      render(<SignInScreen />);
      expect(screen.getByRole("alert")).toHaveTextContent("This invite link has expired.");
    });

    it("shows why a used, expired, revoked or wrong link is refused", async () => {
      fakeBackend.signIn.mockRejectedValue(
        new ConvexError({
          code: "NOT_INVITED",
          message:
            "This invite link has already been used. Sign in instead, or ask an admin for a new invite.",
        }),
      );
      render(<SignInScreen />);
      const user = await fillSignIn("ops@example.com", STRONG_PASSWORD);
      await user.click(screen.getByRole("button", { name: "Create account" }));
      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("This invite link has already been used.");
      expect(alert).not.toHaveTextContent("NOT_INVITED");
    });
  });

  it("refuses a weak password and lists the rules it breaks, without calling the backend", async () => {
    render(<SignInScreen />);
    const user = await openSignUp();
    await fillSignIn("ada@example.com", "aaaa");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Choose a stronger password");
    expect(alert).toHaveTextContent("Use at least 10 characters.");
    expect(alert).toHaveTextContent("Use at least 4 different characters.");
    // Said once: the list under the field gives way to the refusal.
    expect(screen.getAllByText("Use at least 10 characters.")).toHaveLength(1);
    expect(fakeBackend.signIn).not.toHaveBeenCalled();
  });

  it("shows the rules when the server rejects the password as weak", async () => {
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({ code: "WEAK_PASSWORD", message: "Do not include your email address." }),
    );
    render(<SignInScreen />);
    const user = await openSignUp();
    await fillSignIn("ada@example.com", STRONG_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Choose a stronger password");
    expect(alert).toHaveTextContent("Do not include your email address.");
  });

  it("explains that the email was not invited", async () => {
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({
        code: "NOT_INVITED",
        message: "This email has no invite. Ask an admin of this console to invite you.",
      }),
    );
    render(<SignInScreen />);
    const user = await openSignUp();
    await fillSignIn("eve@example.com", STRONG_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(fakeBackend.signIn).toHaveBeenCalledWith(
      "password",
      expect.objectContaining({ flow: "signUp", email: "eve@example.com" }),
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not invited");
    expect(alert).toHaveTextContent("Ask an admin of this console to invite you.");
  });

  it("offers sign-in after a refused sign-up, without saying whether the account exists", async () => {
    fakeBackend.signIn.mockRejectedValue(
      new ConvexError({ code: "NOT_INVITED", message: "Sign-up needs an invite link." }),
    );
    render(<SignInScreen />);
    const user = await openSignUp();
    await fillSignIn("ada@example.com", STRONG_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not invited");
    expect(alert).not.toHaveTextContent(/already exists/);
    await user.click(screen.getByRole("button", { name: "Go to sign in" }));
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });
});
