/** Every backend call the sign-in screen makes, one hook each. */
import { useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useBootstrapStatus = () => useQuery(api.users.account.bootstrapStatus);
/** Whether an invite link's token can still be used; skipped without a token. */
export const useInviteLinkStatus = (token: string | null) =>
  useQuery(api.users.invites.linkStatus, token === null ? "skip" : { token });
