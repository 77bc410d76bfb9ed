import { useAuthActions } from "@convex-dev/auth/react";
import { useQuery } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { passwordProblems } from "../../../convex/users/shared";
import { useBackendStatus } from "../../lib/backend";
import { errorInfo, withTimeout } from "../../lib/errors";
import { describeSignInError, type SignInFailure } from "./signInErrors";

export const SIGN_IN_TIMEOUT_MS = 15_000;

type Flow = "signIn" | "signUp";

type SignInScreenProps = {
  /** How long a sign-in may stay pending before we call the backend unreachable. */
  timeoutMs?: number;
};

export function SignInScreen({ timeoutMs = SIGN_IN_TIMEOUT_MS }: SignInScreenProps) {
  const { signIn } = useAuthActions();
  const { status, url } = useBackendStatus();
  const [flow, setFlow] = useState<Flow>("signIn");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<SignInFailure | null>(null);
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
    setPending(true);
    setFailure(null);
    try {
      await withTimeout(
        signIn("password", flow === "signUp" ? { email, password, flow, name } : { email, password, flow }),
        timeoutMs,
        `No answer from the backend after ${Math.round(timeoutMs / 1000)} s.`,
      );
    } catch (error) {
      setFailure(describeSignInError(errorInfo(error), { email, password, backendUrl: url }));
    } finally {
      setPending(false);
    }
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
        {flow === "signUp" && <BootstrapHint />}
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

function BootstrapHint() {
  const bootstrap = useQuery(api.users.account.bootstrapStatus);
  if (bootstrap === undefined) {
    return null;
  }
  return (
    <p className="notice notice-info">
      {bootstrap.needsFirstAdmin
        ? "You'll be the first admin of this console."
        : "Sign-up needs an invite from an admin. Use the email address you were invited with."}
    </p>
  );
}
