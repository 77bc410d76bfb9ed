import { MINUTE_MS } from "./rows";

/**
 * Convex's log streams are best effort: a deployment that was sending and then sent nothing for
 * this long (a quiet app still streams scheduler and concurrency stats) lost events in between.
 */
export const STREAM_GAP_MS = 5 * MINUTE_MS;

export type StreamGap = { deployment: string; from: number; to: number };

/** Silences longer than STREAM_GAP_MS between two minutes in which a deployment's events arrived. */
export function streamGaps(minutes: Array<{ deployment: string; minute: number }>): StreamGap[] {
  const byDeployment = new Map<string, number[]>();
  for (const { deployment, minute } of minutes) {
    const list = byDeployment.get(deployment) ?? [];
    list.push(minute);
    byDeployment.set(deployment, list);
  }
  const gaps: StreamGap[] = [];
  for (const [deployment, list] of byDeployment) {
    list.sort((a, b) => a - b);
    for (let index = 1; index < list.length; index++) {
      const silentFrom = list[index - 1]! + MINUTE_MS;
      const silentTo = list[index]!;
      if (silentTo - silentFrom >= STREAM_GAP_MS) gaps.push({ deployment, from: silentFrom, to: silentTo });
    }
  }
  return gaps.sort((a, b) => b.to - a.to);
}
