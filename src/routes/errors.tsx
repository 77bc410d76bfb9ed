import { createFileRoute } from "@tanstack/react-router";
import { PlannedPage } from "../components/Page";

export const Route = createFileRoute("/errors")({
  component: ErrorsPage,
});

function ErrorsPage() {
  return (
    <PlannedPage
      title="Errors"
      purpose="Failures grouped by function, error code and message, with counts, first and last seen, and error-rate charts."
    />
  );
}
