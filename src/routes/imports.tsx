import { createFileRoute } from "@tanstack/react-router";
import { ImportsPage } from "@/features/imports/components/ImportsPage";

export const Route = createFileRoute("/imports")({
  component: ImportsPage,
});
