/** Every backend call the Users feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";
import { usePrefetch } from "@/lib/remembered";

export const useUsers = () => useQuery(api.users.users.list);
export const useSetUserRole = () => useMutation(api.users.users.setRole);
export const useClearUserLock = () => useMutation(api.users.users.clearLock);
export const useRemoveUser = () => useMutation(api.users.users.remove);

export const usePendingInvites = () => useQuery(api.users.invites.listPending);
export const useCreateInvite = () => useMutation(api.users.invites.create);
export const useRevokeInvite = () => useMutation(api.users.invites.revoke);
/**
 * While the viewer's role loads, asks for the admin's lists beside it: an admin's page then needs no
 * second round trip, and for anyone else the server refuses them, unread.
 */
export const usePrefetchUsersPage = (roleLoading: boolean) => {
  usePrefetch(api.users.users.list, roleLoading ? {} : "skip");
  usePrefetch(api.users.invites.listPending, roleLoading ? {} : "skip");
};
