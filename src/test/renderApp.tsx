import { createMemoryHistory, RouterProvider } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import type { Role } from "@convex/lib/shared";
import { createAppRouter } from "@/router";
import { api } from "@convex/_generated/api";
import { answerQuery, fakeBackend, fakeId } from "./fakeConvex";

/** Signs in with a role on the fake backend; install fakeConvex with vi.mock first. */
export function signInAs(role: Role) {
  fakeBackend.auth = { isLoading: false, isAuthenticated: true };
  answerQuery(
    api.users.users.me,
    {},
    {
      _id: fakeId("users", "u1"),
      email: `${role}@example.com`,
      name: null,
      role,
    },
  );
}

/** Renders the whole app at a URL, so pages get their search params and links from the real router. */
export function renderApp(path: string) {
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  render(<RouterProvider router={router} />);
  return router;
}
