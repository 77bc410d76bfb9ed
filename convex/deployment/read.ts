/**
 * What other domains may use of the connected deployment: its stored connection, a client for
 * Convex's HTTP APIs, and the rules that compare deployments and read export timestamps.
 */
export { deploymentClient, type DeploymentClient } from "./client";
export { isConsoleDeployment, loadConnection } from "./connection";
export { isSameDeployment } from "./model/connection";
export { nanosToMillis, type ConvexExport } from "./model/exports";
