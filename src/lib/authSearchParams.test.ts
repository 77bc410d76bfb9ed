import { describe, expect, it } from "vitest";
import authClientSource from "../../node_modules/@convex-dev/auth/dist/react/client.js?raw";
import { createMemoryHistory } from "@tanstack/react-router";
import { createAppRouter } from "@/router";
import { AUTH_RESERVED_SEARCH_PARAMS } from "./authSearchParams";

type AnyRoute = {
  id: string;
  options: { validateSearch?: (search: Record<string, unknown>) => Record<string, unknown> };
};

describe("search params the sign-in library reads", () => {
  it("lists every param the installed @convex-dev/auth client reads from the URL", () => {
    const read = [...authClientSource.matchAll(/URLSearchParams\([^)]*\)\.get\("([^"]+)"\)/g)].map(
      (match) => match[1],
    );
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(AUTH_RESERVED_SEARCH_PARAMS).toContain(name);
  });

  it("are used by no route, whatever the URL holds", () => {
    const router = createAppRouter(createMemoryHistory());
    const routes = Object.values(router.routesById) as unknown as AnyRoute[];
    const withSearch = routes.filter((route) => route.options.validateSearch !== undefined);
    expect(withSearch.map((route) => route.id)).toContain("/errors");
    const hostile = Object.fromEntries(AUTH_RESERVED_SEARCH_PARAMS.map((name) => [name, "OCC"]));
    for (const route of withSearch) {
      for (const input of [{}, hostile]) {
        const keys = Object.keys(route.options.validateSearch!(input));
        expect(
          keys.filter((key) => AUTH_RESERVED_SEARCH_PARAMS.includes(key)),
          `route ${route.id}`,
        ).toEqual([]);
      }
    }
  });
});
