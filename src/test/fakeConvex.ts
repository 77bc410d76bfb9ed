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
    /** The auth library's token: the stored one while `auth.isLoading`, null when signed out. */
    storedToken: null as string | null,
    connection: { ...CONNECTED },
    /**
     * Answers by function name and args, e.g. "users/users:me {}"; set them through answerQuery and
     * answerPaginatedQuery, which check each answer against the query's real args and return types.
     */
    queries: new Map<string, unknown>(),
    paginated: new Map<string, PaginatedAnswer<AnyQuery> | Error>(),
    /** Every call a component made, in order, answered or not. */
    queryCalls: [] as Array<{ name: string; args: unknown }>,
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

/**
 * Sets what a query answers when a component calls it with exactly these args (compared as Convex
 * compares them: fields set to undefined are absent). Once a test answers a query, a call with any
 * other args stays loading and fails the test afterwards, naming the function and the args it got;
 * a query the test answers for no args at all stays loading.
 */
export function answerQuery<Query extends AnyQuery>(
  query: Query,
  args: FunctionArgs<Query>,
  answer: Answer<Query>,
) {
  fakeBackend.queries.set(keyOf(getFunctionName(query), args), answer);
}

/** The args of every call components made to a query so far, in order. */
export function callsOf<Query extends AnyQuery>(query: Query): FunctionArgs<Query>[] {
  const name = getFunctionName(query);
  return fakeBackend.queryCalls
    .filter((call) => call.name === name)
    .map((call) => call.args as FunctionArgs<Query>);
}

/** Sets a paginated query's loaded rows for these args (without paginationOpts), or an Error that usePaginatedQuery throws. */
export function answerPaginatedQuery<Query extends AnyQuery>(
  query: Query,
  args: Omit<FunctionArgs<Query>, "paginationOpts">,
  answer: PaginatedAnswer<Query> | Error,
) {
  fakeBackend.paginated.set(keyOf(getFunctionName(query), args), answer);
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

/** Calls no answer was set for, kept across resetFakeBackend until the test ends and fails on them. */
const unanswered: string[] = [];

/** Empties the list of unanswered calls and describes them, for the test setup to fail the test with. */
export function takeUnansweredCalls(): string | null {
  if (unanswered.length === 0) return null;
  const calls = [...new Set(unanswered.splice(0))];
  return `The fake backend has no answer for ${calls.length === 1 ? "this call" : "these calls"} (answerQuery with these args, or fix the component):\n${calls.join("\n")}`;
}

/** A stable text for Convex args: keys sorted, undefined fields dropped as Convex drops them. */
function canonical(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value);
}

function keyOf(name: string, args: unknown): string {
  return `${name} ${canonical(args)}`;
}

function answer<T>(answers: Map<string, T>, name: string, args: unknown): Exclude<T, Error> | undefined {
  const key = keyOf(name, args);
  if (!answers.has(key)) {
    // A query the test answers for no args at all is one it does not look at: it stays loading.
    const answered = [...answers.keys()].filter((known) => known.startsWith(`${name} `));
    if (answered.length > 0) {
      const argsOf = (known: string) => known.slice(name.length + 1);
      unanswered.push(`  ${key}\n    answered only for: ${answered.map(argsOf).join(" | ")}`);
    }
    return undefined;
  }
  const result = answers.get(key);
  if (result instanceof Error) {
    throw result;
  }
  return result as Exclude<T, Error>;
}

export const convexReactModule = {
  useQuery: (query: AnyQuery, args?: unknown) => {
    if (args === "skip") return undefined;
    const name = getFunctionName(query);
    fakeBackend.queryCalls.push({ name, args: args ?? {} });
    return answer(fakeBackend.queries, name, args ?? {});
  },
  usePaginatedQuery: (query: AnyQuery, args: unknown) => {
    const name = getFunctionName(query);
    fakeBackend.paginatedCalls.push({ name, args });
    const result = answer(fakeBackend.paginated, name, args) ?? { results: [], status: "LoadingFirstPage" };
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
  useAuthToken: () => fakeBackend.storedToken,
};

/** A fixture's document id, typed as the table's Id the way a real query returns it. */
export function fakeId<Table extends TableNames>(_table: Table, id: string): Id<Table> {
  return id as Id<Table>;
}
