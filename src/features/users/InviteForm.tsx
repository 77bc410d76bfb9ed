import { useMutation } from "convex/react";
import { useId, useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import { ROLES, type Role } from "../../../convex/lib/shared";
import { ErrorNotice } from "../../components/ErrorNotice";

export function InviteForm() {
  const createInvite = useMutation(api.users.invites.create);
  const emailId = useId();
  const roleId = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invited, setInvited] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setInvited(null);
    try {
      await createInvite({ email, role });
      setInvited(
        `Invited ${email.trim().toLowerCase()} as ${role}. They can now sign up with that email within 7 days.`,
      );
      setEmail("");
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="filter-bar" aria-label="Invite someone" onSubmit={submit}>
      <div className="field field-inline">
        <label htmlFor={emailId}>Email to invite</label>
        <input
          id={emailId}
          className="input"
          type="email"
          required
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <div className="field field-inline">
        <label htmlFor={roleId}>Role</label>
        <select
          id={roleId}
          className="input"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary" disabled={pending || email.trim() === ""}>
        {pending ? "Inviting…" : "Invite"}
      </button>
      <div className="form-feedback">
        {error !== null && <ErrorNotice error={error} title="Invite not created" />}
        {invited && (
          <p className="notice notice-success" role="status">
            {invited}
          </p>
        )}
      </div>
    </form>
  );
}
