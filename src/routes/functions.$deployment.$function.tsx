import { createFileRoute } from "@tanstack/react-router";
import { FunctionPage } from "@/features/functions/components/FunctionPage";
import { parseFunctionSearch } from "@/features/functions/search";
import { useUrlSearch } from "@/lib/useUrlSearch";

/** `/functions/<deployment>/<function>`: the router encodes a path's `:` and `/` in the param. */
export const Route = createFileRoute("/functions/$deployment/$function")({
  validateSearch: parseFunctionSearch,
  component: FunctionRoute,
});

function FunctionRoute() {
  const { deployment, function: functionPath } = Route.useParams();
  return <FunctionPage deployment={deployment} functionPath={functionPath} {...useUrlSearch(Route)} />;
}
