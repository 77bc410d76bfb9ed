import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { RoleBadge } from "@/components/RoleBadge";
import { useBackendStatus } from "@/lib/backend";
import { useMutationState } from "@/lib/useMutationState";
import { useViewer } from "@/lib/api";
import { viewerHasRole, type Viewer } from "@/lib/viewer";
import { useSignOut } from "../api";
import { ConnectionIndicator } from "./ConnectionIndicator";
import { NAV_ITEMS } from "../Shell.utils";

/** Header, sidebar and main landmark around every signed-in page. */
export function AppShell({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header" role="banner">
        <span className="brand">Convex Ops Console</span>
        <ConnectionIndicator />
        <div className="shell-user">
          <ViewerSummary viewer={viewer} />
          <SignOutButton />
        </div>
      </header>
      <BackendBanner />
      <div className="shell-body">
        <nav className="sidebar" aria-label="Main">
          <ul>
            {NAV_ITEMS.filter((item) => !item.requires || viewerHasRole(viewer, item.requires)).map(
              (item) => (
                <li key={item.to}>
                  <Link to={item.to} className="nav-link" activeOptions={{ exact: item.to === "/" }}>
                    {item.label}
                  </Link>
                </li>
              ),
            )}
          </ul>
        </nav>
        <main id="main" className="shell-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

function ViewerSummary({ viewer }: { viewer: Viewer | undefined }) {
  if (viewer === undefined) {
    return <span className="skeleton-inline" aria-label="Loading your account" />;
  }
  return (
    <>
      <span className="shell-email" title={viewer.name ?? undefined}>
        {viewer.email}
      </span>
      <RoleBadge role={viewer.role} />
    </>
  );
}

export function SignOutButton() {
  const signOut = useMutationState(useSignOut());
  return (
    <button
      type="button"
      className="button button-small"
      disabled={signOut.pending}
      onClick={() => void signOut.run()}
    >
      Sign out
    </button>
  );
}

function BackendBanner() {
  const { status, url } = useBackendStatus();
  if (status !== "offline" && status !== "reconnecting") {
    return null;
  }
  return (
    <p className="banner banner-warning" role="status">
      Can't reach the backend at <span className="mono">{url}</span> — retrying. Data on screen may be out of
      date.
    </p>
  );
}
