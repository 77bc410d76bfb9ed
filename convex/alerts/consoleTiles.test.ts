/**
 * One rule, one place for the console-wide tiles: the Overview's backups tile (and the Usage
 * page's standing, through the same judgement) is red exactly while its alert rule fires, not
 * when some other clock or threshold says so.
 */
import { expect, test } from "vitest";
import { api, internal } from "../_generated/api";
import { verifiedBackupRow } from "../backups/fakeDeployment.helpers";
import { newBackend, signUp } from "../test.helpers";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 30);

test(
  "the backups tile turns red when the RPO rule fires, and both tile queries say so alike",
  { timeout: 30_000 },
  async () => {
    const t = await newBackend();
    const viewer = (await signUp(t, "admin@example.com")).client;
    await t.run(async (ctx) => {
      const takenAt = T0 - 30 * MIN;
      await ctx.db.insert(
        "backups",
        verifiedBackupRow(takenAt, {
          kind: "scheduled",
          requestedBy: "system",
          deployment: "prod",
          deploymentUrl: "https://prod.convex.cloud",
          verifiedAt: takenAt + MIN,
        }),
      );
    });
    const judged = async () => ({
      overview: (await viewer.query(api.alerts.alerts.tiles, { deployment: "prod" })).backup_age_share,
      console: (await viewer.query(api.alerts.alerts.consoleTiles, {})).backup_age_share,
    });

    await t.mutation(internal.alerts.evaluate.evaluate, { now: T0 });
    expect((await judged()).overview).toMatchObject({ verdict: "ok", rule: { threshold: 1, unit: "ratio" } });

    // Past the one-hour target, but no evaluation has judged it yet: the tile does not run ahead of the rule.
    await t.mutation(internal.alerts.evaluate.evaluate, { now: T0 + 29 * MIN });
    expect((await judged()).overview.verdict).toBe("ok");

    await t.mutation(internal.alerts.evaluate.evaluate, { now: T0 + 31 * MIN });
    const firing = await judged();
    expect(firing.overview).toMatchObject({
      verdict: "alert",
      rule: { reason: "newest verified backup age (share of the RPO target) 101.7 % > 100 %" },
    });
    expect(firing.console).toEqual(firing.overview);

    // An admin turning the rule off takes the colour away: no rule, no verdict.
    await viewer.mutation(api.alerts.alerts.updateRule, {
      key: "backup-rpo",
      threshold: 1,
      recoveryThreshold: 1,
      pendingMs: 0,
      keepFiringMs: 0,
      severity: "critical",
      enabled: false,
    });
    expect((await judged()).overview).toEqual({ verdict: "none", rule: null });
  },
);
