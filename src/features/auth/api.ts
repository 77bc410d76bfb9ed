/** Every backend call the sign-in screen makes, one hook each. */
import { useAuthActions } from "@convex-dev/auth/react";
import { useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

/** Signs in or up through the auth library (its password provider and flows). */
export const useSignIn = () => useAuthActions().signIn;
export const useBootstrapStatus = () => useQuery(api.users.users.bootstrapStatus);
/** Whether an invite link's token can still be used; skipped without a token. */
export const useInviteLinkStatus = (token: string | null) =>
  useQuery(api.users.invites.linkStatus, token === null ? "skip" : { token });
