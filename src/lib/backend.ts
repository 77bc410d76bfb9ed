import { useConvex, useConvexConnectionState } from "convex/react";

export type BackendStatus = "connected" | "connecting" | "reconnecting" | "offline";

/** Retries after which a client that never connected is reported offline rather than connecting. */
const RETRIES_BEFORE_OFFLINE = 2;

/** The Convex client's WebSocket state, reduced to what an operator needs to know. */
export function useBackendStatus(): { status: BackendStatus; url: string } {
  const state = useConvexConnectionState();
  const { url } = useConvex();
  let status: BackendStatus;
  if (state.isWebSocketConnected) {
    status = "connected";
  } else if (state.hasEverConnected) {
    status = "reconnecting";
  } else if (state.connectionRetries >= RETRIES_BEFORE_OFFLINE) {
    status = "offline";
  } else {
    status = "connecting";
  }
  return { status, url };
}
