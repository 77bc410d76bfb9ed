import { Outlet, createRootRoute } from "@tanstack/react-router";
import { useAuthToken } from "@convex-dev/auth/react";
import { useConvexAuth } from "convex/react";
import { ErrorBoundary } from "@/components/ErrorBoundary";
import { ErrorNotice } from "@/components/ErrorNotice";
import { Page } from "@/components/Page";
import { SignInScreen } from "@/features/auth/components/SignInScreen";
import { AppShell, SignOutButton } from "@/features/shell/components/AppShell";
import { useBackendStatus } from "@/lib/backend";
import { useDocumentTitle } from "@/lib/useDocumentTitle";

export const Route = createRootRoute({
  component: RootLayout,
  notFoundComponent: NotFound,
});

function RootLayout() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const storedToken = useAuthToken();
  // While the server checks a stored token, the signed-in tree is already mounted, hidden, so its
  // queries go out on the socket right behind the token and come back in the same round trip as
  // the confirmation. It stays hidden until the server has confirmed the token: a rejected one
  // unmounts it, and the person sees the sign-in screen without a flash of the shell.
  const mountSignedIn = isAuthenticated || (isLoading && storedToken !== null);
  return (
    <>
      {isLoading ? <Connecting /> : !isAuthenticated && <SignIn />}
      {mountSignedIn && (
        <div hidden={!isAuthenticated}>
          <ErrorBoundary fallback={(error) => <SignedInButBroken error={error} />}>
            <AppShell>
              <Outlet />
            </AppShell>
          </ErrorBoundary>
        </div>
      )}
    </>
  );
}

function SignIn() {
  useDocumentTitle("Sign in");
  return <SignInScreen />;
}

function Connecting() {
  const { status, url } = useBackendStatus();
  return (
    <main id="main" className="auth-screen">
      <div className="auth-card" role="status" aria-live="polite">
        <p className="brand">Convex Ops Console</p>
        {status === "offline" || status === "reconnecting" ? (
          <p>
            Can't reach the backend at <span className="mono">{url}</span> — retrying
          </p>
        ) : (
          <p>Checking your session…</p>
        )}
      </div>
    </main>
  );
}

/** The shell itself failed, typically because the account was removed while signed in. */
function SignedInButBroken({ error }: { error: unknown }) {
  return (
    <main id="main" className="auth-screen">
      <div className="auth-card">
        <p className="brand">Convex Ops Console</p>
        <ErrorNotice error={error} title="Could not load your account" />
        <SignOutButton />
      </div>
    </main>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <p>There is no page at this address. Pick one from the navigation.</p>
    </Page>
  );
}
