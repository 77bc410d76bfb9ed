/** Every backend call the Users feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useUsers = () => useQuery(api.users.users.list);
export const useSetUserRole = () => useMutation(api.users.users.setRole);
export const useClearUserLock = () => useMutation(api.users.users.clearLock);
export const useRemoveUser = () => useMutation(api.users.users.remove);

export const usePendingInvites = () => useQuery(api.users.invites.listPending);
export const useCreateInvite = () => useMutation(api.users.invites.create);
export const useRevokeInvite = () => useMutation(api.users.invites.revoke);
