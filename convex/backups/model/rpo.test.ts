import { expect, test } from "vitest";
import { durationInWords, rpoStatus } from "./rpo";

const MINUTE = 60_000;
const now = Date.parse("2026-05-17T12:00:00Z");

test("the default target is seed 001's one hour", () => {
  expect(rpoStatus({ newestVerifiedAt: now - 10 * MINUTE, now }).targetMs).toBe(60 * MINUTE);
});

test("ok below 80 % of the target, at risk from 80 %, breached at the target", () => {
  expect(rpoStatus({ newestVerifiedAt: now - 47 * MINUTE, now })).toEqual({
    state: "ok",
    ageMs: 47 * MINUTE,
    targetMs: 60 * MINUTE,
    remainingMs: 13 * MINUTE,
    sentence: "Within RPO: the newest verified backup is 47 minutes old (target: 1 hour).",
  });
  expect(rpoStatus({ newestVerifiedAt: now - 48 * MINUTE, now })).toMatchObject({
    state: "at_risk",
    sentence:
      "RPO at risk: the newest verified backup is 48 minutes old; the 1 hour target is passed in 12 minutes.",
  });
  expect(rpoStatus({ newestVerifiedAt: now - 60 * MINUTE, now })).toMatchObject({
    state: "breached",
    remainingMs: 0,
    sentence: "RPO breached: the newest verified backup is 1 hour old, past the 1 hour target.",
  });
  expect(rpoStatus({ newestVerifiedAt: now - 3 * 24 * 60 * MINUTE, now }).sentence).toBe(
    "RPO breached: the newest verified backup is 3 days old, past the 1 hour target.",
  );
});

test("no verified backup is its own state", () => {
  expect(rpoStatus({ newestVerifiedAt: null, now, targetMs: 4 * 60 * MINUTE })).toEqual({
    state: "none",
    ageMs: null,
    targetMs: 4 * 60 * MINUTE,
    remainingMs: null,
    sentence: "No verified backup yet: a restore has nothing to restore from (target: 4 hours).",
  });
});

test("a custom target moves the thresholds", () => {
  expect(rpoStatus({ newestVerifiedAt: now - 90 * MINUTE, now, targetMs: 24 * 60 * MINUTE }).state).toBe(
    "ok",
  );
  expect(rpoStatus({ newestVerifiedAt: now - 20 * MINUTE, now, targetMs: 15 * MINUTE }).state).toBe(
    "breached",
  );
});

test("a snapshot stamped slightly in the future (clock skew) counts as age zero", () => {
  expect(rpoStatus({ newestVerifiedAt: now + 5000, now })).toMatchObject({ state: "ok", ageMs: 0 });
});

test("durations read as words", () => {
  expect(durationInWords(30_000)).toBe("under a minute");
  expect(durationInWords(MINUTE)).toBe("1 minute");
  expect(durationInWords(125 * MINUTE)).toBe("2 hours 5 minutes");
  expect(durationInWords(47 * 60 * MINUTE)).toBe("47 hours");
  expect(durationInWords(49 * 60 * MINUTE)).toBe("2 days");
});
