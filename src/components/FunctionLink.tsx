import { createContext, useContext, type ReactNode } from "react";
import { Link } from "@tanstack/react-router";

/** The deployment whose functions a table lists, so a cell renderer can link without it in its row. */
const DeploymentScope = createContext<string | null>(null);

export function FunctionLinkScope({ deployment, children }: { deployment: string; children: ReactNode }) {
  return <DeploymentScope.Provider value={deployment}>{children}</DeploymentScope.Provider>;
}

/**
 * A function name that opens `/functions/<deployment>/<function>`; the router encodes the `:` and
 * `/` of a path. Outside a scope and without a deployment it stays plain text.
 */
export function FunctionLink({ deployment, functionPath }: { deployment?: string; functionPath: string }) {
  const scoped = useContext(DeploymentScope);
  const target = deployment ?? scoped;
  if (target === null) return <code>{functionPath}</code>;
  return (
    <Link
      to="/functions/$deployment/$function"
      params={{ deployment: target, function: functionPath }}
      // A row that opens a drawer must not also open when its function name is followed.
      onClick={(event) => event.stopPropagation()}
    >
      <code>{functionPath}</code>
    </Link>
  );
}
