import { renderHook } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { useUrlSearch } from "./useUrlSearch";

function routeWith(search: { q?: string }) {
  const navigate = vi.fn(async () => {});
  return { navigate, route: { useSearch: () => search, useNavigate: () => navigate } };
}

describe("useUrlSearch", () => {
  test("hands the page the URL's search and replaces the history entry on a filter change", () => {
    const { navigate, route } = routeWith({ q: "old" });
    const { result } = renderHook(() => useUrlSearch(route));
    expect(result.current.search).toEqual({ q: "old" });
    result.current.onSearchChange({ q: "new" });
    expect(navigate).toHaveBeenCalledWith({ search: { q: "new" }, replace: true });
  });

  test("pushes a history entry when the page opens a view the back button should leave", () => {
    const { navigate, route } = routeWith({});
    const { result } = renderHook(() => useUrlSearch(route));
    result.current.onSearchChange({ q: "request" }, { push: true });
    expect(navigate).toHaveBeenCalledWith({ search: { q: "request" }, replace: false });
  });
});
