import type { FunctionReturnType } from "convex/server";
import { useId, useState, type FormEvent } from "react";
import { api } from "@convex/_generated/api";
import { ROLES, type Role } from "@convex/lib/shared";
import { inviteLinkFor } from "@convex/users/shared";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { SelectField } from "@/components/SelectField";
import { Timestamp } from "@/components/Timestamp";
import { useMutationState } from "@/lib/useMutationState";
import { useCreateInvite } from "../api";

type CreatedInvite = FunctionReturnType<typeof api.users.invites.create>;

export function InviteForm() {
  const { run: createInvite, pending, error } = useMutationState(useCreateInvite());
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  // The token exists only in this state: it is gone once the admin invites again or leaves the page.
  const [created, setCreated] = useState<CreatedInvite | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    const outcome = await createInvite({ email, role });
    if (outcome.ok) {
      setCreated(outcome.value);
      setEmail("");
    }
  }

  return (
    <div className="stack">
      <form className="filter-bar" aria-label="Invite someone" onSubmit={submit}>
        <TextField
          inline
          label="Email to invite"
          type="email"
          required
          autoComplete="off"
          value={email}
          onValueChange={setEmail}
        />
        <SelectField label="Role" value={role} options={ROLES} onChange={(value) => setRole(value as Role)} />
        <button type="submit" className="button button-primary" disabled={pending || email.trim() === ""}>
          {pending ? "Inviting…" : "Invite"}
        </button>
        <div className="form-feedback">
          {error !== null && <ErrorNotice error={error} title="Invite not created" />}
        </div>
      </form>
      {created !== null && <InviteLink invite={created} />}
    </div>
  );
}

function InviteLink({ invite }: { invite: CreatedInvite }) {
  const link = inviteLinkFor(window.location.origin, invite.token);
  const inputId = useId();
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);

  async function copy() {
    setCopyFailed(false);
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopyFailed(true);
    }
  }

  return (
    <div className="notice notice-success stack" role="status">
      <p>
        Invited <strong>{invite.email}</strong> as {invite.role}. Send them this link: it works once, for that
        email only, until <Timestamp ms={invite.expiresAt} deadline />. It is shown only this once; if it is
        lost, invite them again for a new link.
      </p>
      <div className="filter-bar">
        <div className="field field-inline field-grow">
          <label htmlFor={inputId} className="visually-hidden">
            Invite link for {invite.email}
          </label>
          <input
            id={inputId}
            className="input mono"
            readOnly
            value={link}
            onFocus={(event) => event.target.select()}
          />
        </div>
        <button type="button" className="button button-small" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy invite link"}
        </button>
      </div>
      {copyFailed && <p>Copying is blocked in this browser: select the link and copy it by hand.</p>}
    </div>
  );
}
