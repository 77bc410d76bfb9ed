import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/slow-queries")({
  component: SlowQueriesPage,
});

function SlowQueriesPage() {
  return (
    <PlannedPage
      title="Slow queries"
      purpose="A live table of slow function calls (over 100 ms, 10 database calls or 10,000 documents scanned) with their correlation ids."
    />
  );
}
