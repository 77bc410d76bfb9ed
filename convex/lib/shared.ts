/** What the browser may use of the cross-cutting rules: the roles and the error codes functions throw. */
export { ROLES, hasRole, isRole, type Role } from "./roles";
export type { ErrorCode, ErrorData } from "./errors";
