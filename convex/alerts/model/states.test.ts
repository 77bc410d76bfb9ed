import { describe, expect, test } from "vitest";
import {
  evaluate,
  INITIAL_STATE,
  notificationOf,
  type InstanceState,
  type Observation,
  type RuleParams,
} from "./states";

const MIN = 60_000;
const p95: RuleParams = {
  label: "p95",
  unit: "ms",
  threshold: 1000,
  recoveryThreshold: 900,
  pendingMs: 5 * MIN,
  keepFiringMs: 0,
};

/** Feeds one value per minute and returns each state and the reasons of the transitions. */
function run(rule: RuleParams, inputs: (number | Observation)[], start: InstanceState = INITIAL_STATE) {
  let state = start;
  const states: string[] = [];
  const reasons: string[] = [];
  inputs.forEach((input, minute) => {
    const observation: Observation = typeof input === "number" ? { kind: "value", value: input } : input;
    const { next, transition } = evaluate(rule, state, observation, (minute + 1) * MIN);
    state = next;
    states.push(next.state);
    if (transition) reasons.push(transition.reason);
  });
  return { states, reasons, state };
}

describe("the alert state machine", () => {
  test("a breach is Pending until it has lasted the pending period, then Firing with the reason", () => {
    const { states, reasons } = run(p95, [1240, 1240, 1240, 1240, 1240, 1240]);
    expect(states).toEqual(["pending", "pending", "pending", "pending", "pending", "firing"]);
    expect(reasons).toEqual(["p95 1,240 ms > 1,000 ms", "p95 1,240 ms > 1,000 ms for 5 min"]);
  });

  test("a breach shorter than the pending period never fires", () => {
    const { states } = run(p95, [1240, 1240, 800, 1240]);
    expect(states).toEqual(["pending", "pending", "normal", "pending"]);
  });

  test("flapping 980 → 1010 → 990 stays firing with a 900 ms recovery threshold", () => {
    const firing = run({ ...p95, pendingMs: 0 }, [1200]).state;
    expect(firing.state).toBe("firing");
    const { states } = run({ ...p95, pendingMs: 0 }, [980, 1010, 990], firing);
    expect(states).toEqual(["firing", "firing", "firing"]);
  });

  test("only a value at or below the recovery threshold resolves it", () => {
    const { states, reasons } = run({ ...p95, pendingMs: 0 }, [1200, 950, 899]);
    expect(states).toEqual(["firing", "firing", "normal"]);
    expect(reasons.at(-1)).toBe("p95 899 ms ≤ 900 ms");
  });

  test("keep firing for: Recovering holds the alert, a new breach returns to Firing, then it resolves", () => {
    const rule = { ...p95, pendingMs: 0, keepFiringMs: 3 * MIN };
    const { states, reasons } = run(rule, [1200, 800, 800, 1100, 800, 800, 800, 800]);
    expect(states).toEqual([
      "firing",
      "recovering",
      "recovering",
      "firing",
      "recovering",
      "recovering",
      "recovering",
      "normal",
    ]);
    expect(reasons[1]).toBe("p95 800 ms ≤ 900 ms; keeps firing for 3 min");
  });

  test("no data is its own state, and data coming back under the threshold resolves it", () => {
    const { states, reasons } = run(p95, [{ kind: "nodata", why: "no event for 10 min" }, 300]);
    expect(states).toEqual(["nodata", "normal"]);
    expect(reasons[0]).toBe("No data: no event for 10 min");
  });

  test("an evaluation error is the Error state with its message", () => {
    const { states, reasons } = run(p95, [{ kind: "error", message: "rollups unreadable" }]);
    expect(states).toEqual(["error"]);
    expect(reasons[0]).toBe("Evaluation failed: rollups unreadable");
  });

  test("error rate reasons print percentages", () => {
    const rule: RuleParams = {
      label: "error rate",
      unit: "ratio",
      threshold: 0.01,
      recoveryThreshold: 0.008,
      pendingMs: 0,
      keepFiringMs: 0,
    };
    expect(run(rule, [0.034]).reasons).toEqual(["error rate 3.4 % > 1 %"]);
  });
});

describe("which transitions notify", () => {
  const t = (from: string, to: string) => notificationOf({ from, to, at: 0, reason: "" } as never);
  test("entering Firing or No data notifies firing; returning to Normal notifies resolved", () => {
    expect(t("pending", "firing")).toBe("firing");
    expect(t("normal", "nodata")).toBe("firing");
    expect(t("recovering", "normal")).toBe("resolved");
    expect(t("firing", "normal")).toBe("resolved");
  });
  test("Pending, Recovering ↔ Firing tell nobody", () => {
    expect(t("normal", "pending")).toBeNull();
    expect(t("pending", "normal")).toBeNull();
    expect(t("firing", "recovering")).toBeNull();
    expect(t("recovering", "firing")).toBeNull();
  });
});
