/** What the browser shares with the runbooks backend: evidence labels and when a run takes ticks. */
export { EVIDENCE_LABELS, type EvidenceSourceName } from "./model/evidence";
export { acceptsTicks, type HistoryState, type RunState } from "./model/progress";
