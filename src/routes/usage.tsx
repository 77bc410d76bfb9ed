import { createFileRoute } from "@tanstack/react-router";
import { UsagePage } from "@/features/usage/components/UsagePage";
import { parseUsageSearch } from "@/features/usage/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

export const Route = createFileRoute("/usage")({
  validateSearch: parseUsageSearch,
  component: UsageRoute,
});

function UsageRoute() {
  return <UsagePage {...useUrlSearch(Route)} />;
}
