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
  const convex = new ConvexReactClient(convexUrl);
  const router = createAppRouter();
  root.render(
    <StrictMode>
      <ConvexAuthProvider client={convex}>
        <RouterProvider router={router} />
      </ConvexAuthProvider>
    </StrictMode>,
  );
}
