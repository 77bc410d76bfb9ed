import type { FunctionReturnType } from "convex/server";
import { createContext, useContext, useState } from "react";
import { api } from "@convex/_generated/api";
import type { Id } from "@convex/_generated/dataModel";
import { ROLES, type Role } from "@convex/lib/shared";
import { ActionButton } from "@/components/ActionButton";
import { columnHelperFor, DataTable } from "@/components/DataTable";
import { ErrorNotice } from "@/components/ErrorNotice";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { TypedConfirmDialog } from "@/components/TypedConfirmDialog";
import { useMutationState } from "@/lib/useMutationState";
import { useClearUserLock, useRemoveUser, useSetUserRole, useUsers } from "../api";

type UserRow = FunctionReturnType<typeof api.users.users.list>[number];

/** Lets cells know which row is the signed-in admin without rebuilding the column definitions. */
const ViewerIdContext = createContext<Id<"users"> | null>(null);

const column = columnHelperFor<UserRow>();

const USER_COLUMNS = column.columns([
  column.accessor("email", {
    header: "Email",
    sortFn: "text",
    cell: (info) => {
      const lockedUntil = info.row.original.lockedUntil;
      return (
        <span className="cell-inline">
          {info.getValue()}
          {lockedUntil !== null && (
            <span className="badge badge-expired">
              Locked until <Timestamp ms={lockedUntil} deadline />
            </span>
          )}
        </span>
      );
    },
  }),
  column.accessor("name", {
    header: "Name",
    sortFn: "text",
    sortUndefined: "last",
    cell: (info) => info.getValue() ?? <span className="muted">—</span>,
  }),
  column.accessor("role", {
    header: "Role",
    sortFn: "text",
    cell: (info) => <RoleSelect user={info.row.original} />,
  }),
  column.accessor("_creationTime", {
    header: "Created",
    sortFn: "basic",
    cell: (info) => <Timestamp ms={info.getValue()} />,
  }),
  column.display({
    id: "actions",
    header: "Actions",
    cell: (info) => (
      <div className="cell-inline">
        {info.row.original.lockedUntil !== null && <ClearLockButton user={info.row.original} />}
        <RemoveUserButton user={info.row.original} />
      </div>
    ),
  }),
]);

const getUserRowId = (user: UserRow) => user._id;

export function UsersTable({ viewerId }: { viewerId: Id<"users"> }) {
  const users = useUsers();
  if (users === undefined) {
    return <SkeletonRows label="Loading users…" />;
  }
  return (
    <ViewerIdContext.Provider value={viewerId}>
      <DataTable
        caption="Users"
        columns={USER_COLUMNS}
        data={users}
        getRowId={getUserRowId}
        initialSorting={[{ id: "email", desc: false }]}
        empty="No users yet."
      />
    </ViewerIdContext.Provider>
  );
}

function RoleSelect({ user }: { user: UserRow }) {
  const { run: setRole, pending, error } = useMutationState(useSetUserRole());

  return (
    <div className="cell-stack">
      <select
        className="input input-compact"
        aria-label={`Role of ${user.email}`}
        value={user.role}
        disabled={pending}
        onChange={(event) => void setRole({ userId: user._id, role: event.target.value as Role })}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      {error !== null && <ErrorNotice error={error} title={`Role of ${user.email} not changed`} />}
    </div>
  );
}

/** Too many wrong passwords lock an account for minutes; an admin who knows it was them can lift it. */
function ClearLockButton({ user }: { user: UserRow }) {
  const clearLock = useClearUserLock();
  return (
    <ActionButton
      label="Clear lock"
      pendingLabel="Clearing…"
      accessibleName={`Clear lock for ${user.email}`}
      failureTitle="Lock not cleared"
      action={() => clearLock({ userId: user._id })}
    />
  );
}

function RemoveUserButton({ user }: { user: UserRow }) {
  const viewerId = useContext(ViewerIdContext);
  const { run: remove, pending, error, clearError } = useMutationState(useRemoveUser());
  const [open, setOpen] = useState(false);
  const isSelf = user._id === viewerId;

  async function confirm() {
    if ((await remove({ userId: user._id })).ok) setOpen(false);
  }

  return (
    <>
      <button
        type="button"
        className="button button-small button-danger-outline"
        disabled={isSelf}
        title={isSelf ? "You cannot remove your own account" : undefined}
        aria-label={`Remove ${user.email}`}
        onClick={() => {
          clearError();
          setOpen(true);
        }}
      >
        Remove
      </button>
      {open && (
        <TypedConfirmDialog
          title={`Remove ${user.email}?`}
          consequences={
            <p>
              Their sessions end at once and they lose access to this console. Their audit entries stay. To
              come back they need a new invite.
            </p>
          }
          confirmText={user.email}
          actionLabel="Remove user"
          pending={pending}
          error={error !== null && <ErrorNotice error={error} title="Not removed" />}
          onConfirm={() => void confirm()}
          onCancel={() => setOpen(false)}
        />
      )}
    </>
  );
}
