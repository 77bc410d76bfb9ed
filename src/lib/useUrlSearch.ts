/** The shape of a file route this needs: TanStack Router's `Route` objects have it. */
type SearchRoute<Search> = {
  useSearch: () => Search;
  useNavigate: () => (options: { search: NoInfer<Search>; replace: boolean }) => Promise<void>;
};

/**
 * A page's filters kept in its URL, as every page keeps them: a change replaces the history entry,
 * unless the page asks to push one (opening a view the back button should return from).
 */
export function useUrlSearch<Search>(route: SearchRoute<Search>) {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  return {
    search,
    onSearchChange: (next: Search, options?: { push?: boolean }) =>
      void navigate({ search: next, replace: !options?.push }),
  };
}
