import { Link } from "@tanstack/react-router";

/** A function name that opens the function's page; the router encodes the `:` and `/` of a path. */
export function FunctionLink({ deployment, functionPath }: { deployment: string; functionPath: string }) {
  return (
    <Link
      to="/functions/$deployment/$function"
      params={{ deployment, function: functionPath }}
      className="mono"
    >
      {functionPath}
    </Link>
  );
}
