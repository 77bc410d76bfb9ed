/**
 * Stand-ins for `convex/react` and `@convex-dev/auth/react`, so component tests control what the
 * backend answers. Test files install them with:
 *   vi.mock("convex/react", async () => (await import("./fakeConvex")).convexReactModule);
 *   vi.mock("@convex-dev/auth/react", async () => (await import("./fakeConvex")).convexAuthReactModule);
 */
import type { ConnectionState } from "convex/browser";
import { getFunctionName, type FunctionReference } from "convex/server";
import { vi, type Mock } from "vitest";

type QueryAnswer = unknown | ((args: unknown) => unknown);
type PaginatedAnswer = {
  results: unknown[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
};

const CONNECTED: ConnectionState = {
  hasInflightRequests: false,
  isWebSocketConnected: true,
  timeOfOldestInflightRequest: null,
  hasEverConnected: true,
  connectionCount: 1,
  connectionRetries: 0,
  inflightMutations: 0,
  inflightActions: 0,
};

function createFakeBackend() {
  return {
    url: "http://127.0.0.1:3210",
    auth: { isLoading: false, isAuthenticated: true },
    connection: { ...CONNECTED },
    /** Answers by function name, e.g. "users/account:me". An Error instance is thrown like useQuery does. */
    queries: new Map<string, QueryAnswer>(),
    paginated: new Map<string, PaginatedAnswer>(),
    paginatedCalls: [] as Array<{ name: string; args: unknown }>,
    loadMore: vi.fn(),
    mutations: new Map<string, Mock>(),
    signIn: vi.fn<(provider: string, params?: unknown) => Promise<{ signingIn: boolean }>>(),
    signOut: vi.fn<() => Promise<void>>(async () => {}),
  };
}

export let fakeBackend = createFakeBackend();

export function resetFakeBackend() {
  fakeBackend = createFakeBackend();
}

export function mutationMock(name: string): Mock {
  let mock = fakeBackend.mutations.get(name);
  if (!mock) {
    mock = vi.fn(async () => null);
    fakeBackend.mutations.set(name, mock);
  }
  return mock;
}

function answer(name: string, args: unknown): unknown {
  const value = fakeBackend.queries.get(name);
  const result = typeof value === "function" ? (value as (args: unknown) => unknown)(args) : value;
  if (result instanceof Error) {
    throw result;
  }
  return result;
}

export const convexReactModule = {
  useQuery: (query: FunctionReference<"query">, args?: unknown) =>
    args === "skip" ? undefined : answer(getFunctionName(query), args ?? {}),
  usePaginatedQuery: (query: FunctionReference<"query">, args: unknown) => {
    const name = getFunctionName(query);
    fakeBackend.paginatedCalls.push({ name, args });
    const result = fakeBackend.paginated.get(name) ?? { results: [], status: "LoadingFirstPage" };
    return {
      ...result,
      isLoading: result.status === "LoadingFirstPage" || result.status === "LoadingMore",
      loadMore: fakeBackend.loadMore,
    };
  },
  useMutation: (mutation: FunctionReference<"mutation">) => mutationMock(getFunctionName(mutation)),
  useConvexAuth: () => fakeBackend.auth,
  useConvexConnectionState: () => fakeBackend.connection,
  useConvex: () => ({ url: fakeBackend.url }),
};

export const convexAuthReactModule = {
  useAuthActions: () => ({ signIn: fakeBackend.signIn, signOut: fakeBackend.signOut }),
};
