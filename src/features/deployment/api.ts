/** Every backend call the connected-deployment settings make, one hook each. */
import { useMutation, useQuery } from "convex/react";
import { api } from "@convex/_generated/api";

export const useDeploymentStatus = () => useQuery(api.deployment.connection.status);
export const useSetDeploymentConnection = () => useMutation(api.deployment.connection.setConnection);
export const useDisconnectDeployment = () => useMutation(api.deployment.connection.disconnect);
export const useTestDeploymentConnection = () => useMutation(api.deployment.connection.testConnection);
