import { useEffect, useState } from "react";

const STORAGE_KEY = "opsConsole.defaultDeployment";

function remembered(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    // Storage can be switched off; the page then waits for the deployment list, as before.
    return undefined;
  }
}

/**
 * The deployment a page shows when its URL names none: the one that streamed most recently
 * (first in `deployments`). Until that list arrives, the default this browser last showed stands in
 * for it, so the page's own queries go out beside the list instead of one round trip after it.
 * The list and that data come back in the same answer; when the list names another default, the
 * page asks for that deployment's data instead (the round trip it would have waited anyway).
 * Answers undefined while neither is known and null when no deployment streams here.
 */
export function useDefaultDeployment(deployments: readonly { name: string }[] | undefined) {
  const [guess] = useState(remembered);
  const confirmed = deployments === undefined ? undefined : (deployments[0]?.name ?? null);
  useEffect(() => {
    if (confirmed === undefined) return;
    try {
      if (confirmed === null) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, confirmed);
    } catch {
      // Not remembered: the next cold open waits for the list.
    }
  }, [confirmed]);
  return deployments === undefined ? guess : confirmed;
}
