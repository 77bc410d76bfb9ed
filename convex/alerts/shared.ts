/** What the browser shares with the alerts backend: the URL rule channels are checked by, and how values print. */
export { GROUPABLE_LABELS, webhookUrlProblem } from "./model/delivery";
export { formatDuration, formatValue, type AlertState, type ValueUnit } from "./model/states";
export type { TileJudgement, TileVerdict } from "./model/tiles";
