/** What the browser may use of the deployment rules: the URL as the console stores it, to tell a changed URL. */
export { normalizeDeploymentUrl } from "./model/connection";
