import { ConvexAuthProvider } from "@convex-dev/auth/react";
import { RouterProvider } from "@tanstack/react-router";
import { ConvexReactClient } from "convex/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { MissingBackendUrl } from "./components/MissingBackendUrl";
import { createAppRouter } from "./router";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
const convexUrl = import.meta.env.VITE_CONVEX_URL;

if (!convexUrl) {
  root.render(<MissingBackendUrl />);
} else {
  // A confirmed stored token is kept until shortly before it expires (a refresh is scheduled for
  // then) instead of being replaced at once: the immediate replacement made the server run every
  // query of the page a second time while it was opening.
  const convex = new ConvexReactClient(convexUrl, { initialAuthTokenReuse: true });
  // The client opens its WebSocket on first use; using it here starts the connection while React
  // renders the first screen, not from within that render.
  convex.connectionState();
  const router = createAppRouter();
  root.render(
    <StrictMode>
      <ConvexAuthProvider client={convex}>
        <RouterProvider router={router} />
      </ConvexAuthProvider>
    </StrictMode>,
  );
}
