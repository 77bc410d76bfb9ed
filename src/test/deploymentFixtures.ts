import type { FunctionReturnType } from "convex/server";
import type { api } from "@convex/_generated/api";

type ConnectionStatus = NonNullable<FunctionReturnType<typeof api.deployment.connection.status>>;

/** happy-otter-123 connected on the Settings page an hour ago, its key stored and not yet tested. */
export function connectedDeployment(overrides: Partial<ConnectionStatus> = {}): ConnectionStatus {
  return {
    source: "settings",
    url: "https://happy-otter-123.convex.cloud",
    name: "happy-otter-123",
    maskedKey: "••••cdef",
    keyProblem: null,
    isConsoleItself: false,
    updatedAt: Date.now() - 3_600_000,
    updatedBy: "admin@example.com",
    test: null,
    ...overrides,
  } as ConnectionStatus;
}
