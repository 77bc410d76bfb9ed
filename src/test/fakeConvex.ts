/**
 * Stand-ins for `convex/react` and `@convex-dev/auth/react`, so component tests control what the
 * backend answers. Test files install them with:
 *   vi.mock("convex/react", async () => (await import("./fakeConvex")).convexReactModule);
 *   vi.mock("@convex-dev/auth/react", async () => (await import("./fakeConvex")).convexAuthReactModule);
 */
import type { ConnectionState } from "convex/browser";
import {
  getFunctionName,
  type FunctionArgs,
  type FunctionReference,
  type FunctionReturnType,
  type PaginationResult,
} from "convex/server";
import { vi, type Mock } from "vitest";
import type { Id, TableNames } from "@convex/_generated/dataModel";

type AnyQuery = FunctionReference<"query">;
type AnyMutation = FunctionReference<"mutation">;

/** What a query answers in a test: its real result type, still loading (undefined), or a thrown Error. */
type Answer<Query extends AnyQuery> = FunctionReturnType<Query> | undefined | Error;
type QueryAnswer<Query extends AnyQuery> = Answer<Query> | ((args: FunctionArgs<Query>) => Answer<Query>);

/** A paginated query's loaded rows, typed by the page the backend returns. */
type PageItem<Query extends AnyQuery> =
  FunctionReturnType<Query> extends PaginationResult<infer Item> ? Item : never;
type PaginatedAnswer<Query extends AnyQuery> = {
  results: PageItem<Query>[];
  status: "LoadingFirstPage" | "CanLoadMore" | "LoadingMore" | "Exhausted";
};

type MutationMock<Mutation extends AnyMutation> = Mock<
  (args: FunctionArgs<Mutation>) => Promise<FunctionReturnType<Mutation>>
>;

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
    /**
     * Answers by function name, e.g. "users/users:me"; set them through answerQuery and
     * answerPaginatedQuery, which check each answer against the query's real return type.
     */
    queries: new Map<string, unknown>(),
    paginated: new Map<string, PaginatedAnswer<AnyQuery> | Error>(),
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

/** Sets what a query answers; a function answer is called with the args the component passes. */
export function answerQuery<Query extends AnyQuery>(query: Query, answer: QueryAnswer<Query>) {
  fakeBackend.queries.set(getFunctionName(query), answer);
}

/** The answer answerQuery set, e.g. to wrap it and record the args. */
export function answerOf<Query extends AnyQuery>(query: Query): QueryAnswer<Query> {
  return fakeBackend.queries.get(getFunctionName(query)) as QueryAnswer<Query>;
}

/** Sets a paginated query's loaded rows, or an Error that usePaginatedQuery throws. */
export function answerPaginatedQuery<Query extends AnyQuery>(
  query: Query,
  answer: PaginatedAnswer<Query> | Error,
) {
  fakeBackend.paginated.set(getFunctionName(query), answer);
}

/** The mock behind useMutation(mutation), typed by the mutation's args and result; resolves null by default. */
export function mutationOf<Mutation extends AnyMutation>(mutation: Mutation): MutationMock<Mutation> {
  return mutationMockNamed(getFunctionName(mutation)) as MutationMock<Mutation>;
}

function mutationMockNamed(name: string): Mock {
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
  useQuery: (query: AnyQuery, args?: unknown) =>
    args === "skip" ? undefined : answer(getFunctionName(query), args ?? {}),
  usePaginatedQuery: (query: AnyQuery, args: unknown) => {
    const name = getFunctionName(query);
    fakeBackend.paginatedCalls.push({ name, args });
    const result = fakeBackend.paginated.get(name) ?? { results: [], status: "LoadingFirstPage" };
    if (result instanceof Error) {
      throw result;
    }
    return {
      ...result,
      isLoading: result.status === "LoadingFirstPage" || result.status === "LoadingMore",
      loadMore: fakeBackend.loadMore,
    };
  },
  useMutation: (mutation: AnyMutation) => mutationMockNamed(getFunctionName(mutation)),
  useConvexAuth: () => fakeBackend.auth,
  useConvexConnectionState: () => fakeBackend.connection,
  useConvex: () => ({ url: fakeBackend.url }),
};

export const convexAuthReactModule = {
  useAuthActions: () => ({ signIn: fakeBackend.signIn, signOut: fakeBackend.signOut }),
};

/** A fixture's document id, typed as the table's Id the way a real query returns it. */
export function fakeId<Table extends TableNames>(_table: Table, id: string): Id<Table> {
  return id as Id<Table>;
}
