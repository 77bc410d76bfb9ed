/** What the browser shares with the metrics backend: the error codes failures are classified into. */
export { ERROR_CODES, type KnownErrorCode } from "./model/errorClassification";
