import type { FunctionReturnType } from "convex/server";
import { api } from "@convex/_generated/api";
import { ActionButton } from "@/components/ActionButton";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { RoleBadge } from "@/components/RoleBadge";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { usePendingInvites, useRevokeInvite } from "../api";

type InviteRow = FunctionReturnType<typeof api.users.invites.listPending>[number];

const column = columnHelperFor<InviteRow>();

const INVITE_COLUMNS = column.columns([
  column.accessor("email", {
    header: "Email",
    sortFn: "text",
    cell: (info) => (
      <span className="cell-inline">
        {info.getValue()}
        {!info.row.original.hasLink && <span className="badge badge-expired">no link: invite again</span>}
      </span>
    ),
  }),
  column.accessor("role", {
    header: "Role",
    sortFn: "text",
    cell: (info) => <RoleBadge role={info.getValue()} />,
  }),
  column.accessor("invitedByEmail", { header: "Invited by", sortFn: "text" }),
  column.accessor("expiresAt", {
    header: "Expires",
    sortFn: "basic",
    cell: (info) => (
      <span className="cell-inline">
        {info.row.original.expired && <span className="badge badge-expired">expired</span>}
        <Timestamp ms={info.getValue()} deadline={!info.row.original.expired} />
      </span>
    ),
  }),
  column.display({
    id: "actions",
    header: "Actions",
    cell: (info) => <RevokeInviteButton invite={info.row.original} />,
  }),
]);

const getInviteRowId = (invite: InviteRow) => invite._id;

export function PendingInvitesTable() {
  const invites = usePendingInvites();
  if (invites === undefined) {
    return <SkeletonRows label="Loading pending invites…" rows={3} />;
  }
  return (
    <DataTable
      caption="Pending invites"
      columns={INVITE_COLUMNS}
      data={invites}
      getRowId={getInviteRowId}
      initialSorting={[{ id: "expiresAt", desc: true }]}
      empty="No pending invites."
    />
  );
}

function RevokeInviteButton({ invite }: { invite: InviteRow }) {
  const revoke = useRevokeInvite();
  return (
    <ActionButton
      label="Revoke"
      pendingLabel="Revoking…"
      accessibleName={`Revoke invite for ${invite.email}`}
      failureTitle="Not revoked"
      action={() => revoke({ inviteId: invite._id })}
    />
  );
}
