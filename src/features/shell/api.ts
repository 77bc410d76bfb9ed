/** Every backend call the app shell makes, one hook each. */
import { useAuthActions } from "@convex-dev/auth/react";

export const useSignOut = () => useAuthActions().signOut;
