import { createFileRoute } from "@tanstack/react-router";
import { FunctionPage } from "@/features/functions/components/FunctionPage";
import { parseFunctionSearch, type FunctionSearch } from "@/features/functions/search";

/** `/functions/<deployment>/<function>`: the router encodes a path's `:` and `/` in the param. */
export const Route = createFileRoute("/functions/$deployment/$function")({
  validateSearch: parseFunctionSearch,
  component: FunctionRoute,
});

function FunctionRoute() {
  const { deployment, function: functionPath } = Route.useParams();
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <FunctionPage
      deployment={deployment}
      functionPath={functionPath}
      search={search}
      onSearchChange={(next: FunctionSearch) => void navigate({ search: next, replace: true })}
    />
  );
}
