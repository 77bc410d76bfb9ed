import { ErrorBoundary } from "@/components/ErrorBoundary";
import { Page } from "@/components/Page";
import { SkeletonRows } from "@/components/Skeleton";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import { InviteForm } from "./InviteForm";
import { PendingInvitesTable } from "./PendingInvitesTable";
import { UsersTable } from "./UsersTable";

export function UsersPage() {
  return (
    <Page
      title="Users & invites"
      description="Who can use this console, with which role, and who is invited."
    >
      <AdminOnly />
    </Page>
  );
}

function AdminOnly() {
  const viewer = useViewer();
  if (viewer === undefined) {
    return <SkeletonRows label="Loading your role…" rows={3} />;
  }
  if (!viewerHasRole(viewer, "admin")) {
    return (
      <div className="notice notice-info" role="status">
        <p className="notice-title">This page needs the admin role</p>
        <p>
          You are signed in as <strong>{viewer.role}</strong>. Ask an admin of this console if you need to
          manage users and invites.
        </p>
      </div>
    );
  }
  return (
    <div className="stack-lg">
      <section aria-labelledby="users-heading" className="stack">
        <h2 id="users-heading">Users</h2>
        <ErrorBoundary title="Could not load users">
          <UsersTable viewerId={viewer._id} />
        </ErrorBoundary>
      </section>
      <section aria-labelledby="invites-heading" className="stack">
        <h2 id="invites-heading">Invites</h2>
        <InviteForm />
        <ErrorBoundary title="Could not load pending invites">
          <PendingInvitesTable />
        </ErrorBoundary>
      </section>
    </div>
  );
}
