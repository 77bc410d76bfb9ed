/** Every backend call the Settings feature makes, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useConsoleSettings = () => useQuery(api.settings.settings.get);
export const useUpdateConsoleSettings = () => useMutation(api.settings.settings.update);
export const useTeamTimeZone = () => useQuery(api.settings.settings.timeZone);
export const useSetTeamTimeZone = () => useMutation(api.settings.settings.setTimeZone);
