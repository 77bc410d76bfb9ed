import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "@/components/Page";

export const Route = createFileRoute("/usage")({
  component: UsagePage,
});

function UsagePage() {
  return (
    <PlannedPage
      title="Usage"
      purpose="Storage, database I/O, function calls, action compute and bandwidth measured against your plan's limits."
    />
  );
}
