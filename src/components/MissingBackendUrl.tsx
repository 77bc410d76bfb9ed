/** Shown instead of the app when the build was made without a Convex deployment URL. */
export function MissingBackendUrl() {
  return (
    <main id="main" className="auth-screen">
      <div className="auth-card stack">
        <p className="brand">Convex Ops Console</p>
        <h1>No backend configured</h1>
        <p>
          This build does not know which Convex deployment to talk to: <code>VITE_CONVEX_URL</code> is not
          set.
        </p>
        <ul className="stack">
          <li>
            Offline, on this machine: run <code>npm start</code>. It starts the local backend and the console
            together.
          </li>
          <li>
            With a Convex deployment: run <code>npm run dev</code>. <code>npx convex dev</code> writes{" "}
            <code>VITE_CONVEX_URL</code> to <code>.env.local</code>.
          </li>
          <li>
            For a production build, set <code>VITE_CONVEX_URL</code> to your deployment URL (
            <code>https://&lt;name&gt;.convex.cloud</code>) before <code>vite build</code>.
          </li>
        </ul>
      </div>
    </main>
  );
}
