import { useEffect, useMemo } from "react";

function read(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    // Storage can be switched off; the page then waits for what it derives the value from.
    return undefined;
  }
}

/**
 * A value a page derives from one query's answer and needs for its next query (which deployment,
 * which checklist), known before that answer arrives: this browser keeps the last one it showed
 * under `key` and hands it back while `known` is undefined (loading), so the next query goes out
 * beside the first instead of one round trip after it. Once known, the known value counts and is
 * kept; a wrong stand-in only means the page then asks for the right data, the round trip it would
 * have waited anyway. Undefined while neither is known; null when the answer says there is none.
 */
export function useRemembered(key: string, known: string | null | undefined): string | null | undefined {
  const guess = useMemo(() => read(`opsConsole.${key}`), [key]);
  useEffect(() => {
    if (known === undefined) return;
    try {
      if (known === null) localStorage.removeItem(`opsConsole.${key}`);
      else localStorage.setItem(`opsConsole.${key}`, known);
    } catch {
      // Not remembered: the next cold open waits for the answer.
    }
  }, [key, known]);
  return known === undefined ? guess : known;
}

/**
 * The deployment a page shows when its URL names none: the one that streamed most recently
 * (first in `deployments`), or, while that list loads, the default this browser showed last.
 */
export function useDefaultDeployment(deployments: readonly { name: string }[] | undefined) {
  return useRemembered("defaultDeployment", deployments && (deployments[0]?.name ?? null));
}
