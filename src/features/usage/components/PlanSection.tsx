import { planName, PLAN_CATALOG_DATE } from "@convex/usage/shared";
import { Timestamp } from "@/components/Timestamp";
import { useViewer } from "@/lib/api";
import { viewerHasRole } from "@/lib/viewer";
import type { UsageSummary } from "../Usage.utils";
import { PlanForm } from "./PlanForm";

/** The team's plan, where its amounts come from, and (for admins) the form to change it. */
export function PlanSection({ summary }: { summary: UsageSummary }) {
  const viewer = useViewer();
  const { plan } = summary;
  return (
    <section aria-labelledby="usage-plan-heading" className="stack card">
      <h2 id="usage-plan-heading">Plan: {planName(plan.plan)}</h2>
      <p>
        {plan.chosen ? (
          <>
            Set by {plan.updatedBy} <Timestamp ms={plan.updatedAt ?? 0} />.{" "}
          </>
        ) : (
          <>No plan chosen yet, so the smallest plan's amounts apply. </>
        )}
        Included amounts from Convex's limits page as of {PLAN_CATALOG_DATE}; limits are per team, so every
        watched deployment counts. The month runs in {summary.timeZone}.
      </p>
      {summary.truncated && (
        <p className="notice notice-warning">
          Too many deployments to sum them all; the figures are partial.
        </p>
      )}
      {viewerHasRole(viewer, "admin") && <PlanForm current={plan.plan} customLimits={plan.customLimits} />}
    </section>
  );
}
