import { SkeletonRows } from "@/components/Skeleton";
import { useBootstrapStatus, useInviteLinkStatus, useSignIn } from "../api";
import { ConvexError } from "convex/values";
import { useCallback, useId, useState, type FormEvent } from "react";
import { inviteTokenFromHash, passwordProblems } from "@convex/users/shared";
import { useBackendStatus } from "@/lib/backend";
import { errorInfo, withTimeout } from "@/lib/errors";
import { useMutationState } from "@/lib/useMutationState";
import { describeSignInError, type SignInFailure } from "../signInErrors";

export const SIGN_IN_TIMEOUT_MS = 15_000;

type Flow = "signIn" | "signUp";

type SignInScreenProps = {
  /** How long a sign-in may stay pending before we call the backend unreachable. */
  timeoutMs?: number;
};

export function SignInScreen({ timeoutMs = SIGN_IN_TIMEOUT_MS }: SignInScreenProps) {
  const signIn = useSignIn();
  const { status, url } = useBackendStatus();
  // An invite link opens the console at /#invite=<token>: read once, then kept only in memory.
  const [inviteToken] = useState(() => inviteTokenFromHash(window.location.hash));
  // An empty backend opens on sign-up (its first account becomes admin); a choice made here wins.
  const [chosenFlow, setFlow] = useState<Flow | null>(inviteToken === null ? null : "signUp");
  const bootstrap = useBootstrapStatus();
  const flow: Flow = chosenFlow ?? (bootstrap?.needsFirstAdmin === true ? "signUp" : "signIn");
  const [name, setName] = useState("");
  const linkStatus = useInviteLinkStatus(inviteToken);
  // Null until typed in: until then an invite link's own address fills the field.
  const [typedEmail, setEmail] = useState<string | null>(null);
  const email = typedEmail ?? (linkStatus?.usable ? linkStatus.email : "");
  const [password, setPassword] = useState("");
  const { run: signInWithTimeout, pending } = useMutationState(
    useCallback(
      (params: Record<string, string>) =>
        withTimeout(
          signIn("password", params),
          timeoutMs,
          `No answer from the backend after ${Math.round(timeoutMs / 1000)} s.`,
        ),
      [signIn, timeoutMs],
    ),
  );
  const [failure, setFailure] = useState<SignInFailure | null>(null);
  // The link's status is live: once this sign-up has used it, it reads "already used" until the
  // signed-in shell replaces this screen, which is not a problem to show.
  const [usedHere, setUsedHere] = useState(false);
  const ids = { name: useId(), email: useId(), password: useId(), rules: useId() };
  const rulesUnmet = flow === "signUp" ? passwordProblems(password, email) : [];

  function switchFlow(next: Flow) {
    setFlow(next);
    setFailure(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (flow === "signUp" && rulesUnmet.length > 0) {
      setFailure({ message: "Choose a stronger password.", rules: rulesUnmet });
      return;
    }
    setFailure(null);
    const signUpParams: Record<string, string> = { email, password, flow, name };
    if (inviteToken !== null) signUpParams.invite = inviteToken;
    const outcome = await signInWithTimeout(flow === "signUp" ? signUpParams : { email, password, flow });
    if (outcome.ok) {
      if (inviteToken !== null && flow === "signUp") {
        setUsedHere(true);
        forgetInviteLink();
      }
    } else {
      setFailure(
        describeSignInError(errorInfo(outcome.error), {
          email,
          password,
          backendUrl: url,
          retryAt: retryAtOf(outcome.error),
        }),
      );
    }
  }

  // Which form opens depends on whether an admin exists: wait for that rather than flip forms.
  if (chosenFlow === null && bootstrap === undefined && (status === "connected" || status === "connecting")) {
    return (
      <main id="main" className="auth-screen">
        <div className="auth-card">
          <p className="brand">Convex Ops Console</p>
          <SkeletonRows rows={3} label="Asking the backend who may sign up…" />
        </div>
      </main>
    );
  }

  return (
    <main id="main" className="auth-screen">
      <div className="auth-card">
        <p className="brand">Convex Ops Console</p>
        <h1>{flow === "signIn" ? "Sign in" : "Create an account"}</h1>
        {(status === "offline" || status === "reconnecting") && (
          <p className="notice notice-warning" role="status">
            Can't reach the backend at <span className="mono">{url}</span> — retrying
          </p>
        )}
        {flow === "signUp" &&
          (inviteToken === null ? (
            <BootstrapHint />
          ) : usedHere ? (
            <p className="notice notice-info" role="status">
              Account created. Signing you in…
            </p>
          ) : linkStatus === undefined ? (
            <p className="notice notice-info">
              You are signing up with an invite link. Use the email address the invite was sent to.
            </p>
          ) : linkStatus.usable ? (
            <p className="notice notice-info">
              You are signing up with an invite link for {linkStatus.email} as {linkStatus.role}.
            </p>
          ) : (
            <p className="notice notice-error" role="alert">
              {linkStatus.problem}
            </p>
          ))}
        <form onSubmit={submit} noValidate>
          {flow === "signUp" && (
            <div className="field">
              <label htmlFor={ids.name}>Name (optional)</label>
              <input
                id={ids.name}
                className="input"
                autoComplete="name"
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.email}>Email</label>
            <input
              id={ids.email}
              className="input"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>Password</label>
            <input
              id={ids.password}
              className="input"
              type="password"
              autoComplete={flow === "signIn" ? "current-password" : "new-password"}
              required
              aria-describedby={flow === "signUp" ? ids.rules : undefined}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            {flow === "signUp" && (
              <div id={ids.rules} className="field-hint">
                {password === "" ? (
                  "At least 10 characters, at least 4 different ones, no leading or trailing spaces, not your email."
                ) : rulesUnmet.length === 0 ? (
                  "Password meets the rules."
                ) : failure?.rules !== undefined ? (
                  // The refusal below lists the rules: said once.
                  "The password does not meet the rules yet."
                ) : (
                  <ul className="rule-list">
                    {rulesUnmet.map((rule) => (
                      <li key={rule}>{rule}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </div>
          {failure && (
            <div className="notice notice-error" role="alert">
              <p>{failure.message}</p>
              {failure.rules && (
                <ul className="rule-list">
                  {failure.rules.map((rule) => (
                    <li key={rule}>{rule}</li>
                  ))}
                </ul>
              )}
              {failure.suggestSignIn && (
                <button type="button" className="link-button" onClick={() => switchFlow("signIn")}>
                  Go to sign in
                </button>
              )}
            </div>
          )}
          <button type="submit" className="button button-primary button-block" disabled={pending}>
            {pending
              ? flow === "signIn"
                ? "Signing in…"
                : "Creating account…"
              : flow === "signIn"
                ? "Sign in"
                : "Create account"}
          </button>
        </form>
        <p className="auth-switch">
          {flow === "signIn" ? "No account yet? " : "Already have an account? "}
          <button
            type="button"
            className="link-button"
            onClick={() => switchFlow(flow === "signIn" ? "signUp" : "signIn")}
          >
            {flow === "signIn" ? "Create an account" : "Sign in"}
          </button>
        </p>
      </div>
    </main>
  );
}

/** The token has done its job; keep it out of the address bar, history and bookmarks. */
function forgetInviteLink() {
  window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
}

/** A lock-out refusal carries the time the account may try again. */
function retryAtOf(error: unknown): number | null {
  if (!(error instanceof ConvexError)) return null;
  const retryAt = (error.data as { retryAt?: unknown }).retryAt;
  return typeof retryAt === "number" && Number.isFinite(retryAt) ? retryAt : null;
}

function BootstrapHint() {
  const bootstrap = useBootstrapStatus();
  if (bootstrap === undefined) {
    return null;
  }
  return (
    <p className="notice notice-info">
      {bootstrap.needsFirstAdmin
        ? "You'll be the first admin of this console."
        : "Sign-up needs the invite link an admin sent you: open that link to create your account."}
    </p>
  );
}
