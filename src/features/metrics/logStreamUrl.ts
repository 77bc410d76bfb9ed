/**
 * Where a watched deployment's log stream must post: this console's HTTP actions, served from the
 * deployment's "site" URL. Derived from the client URL the build was made with (VITE_CONVEX_URL).
 */
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "0.0.0.0", "[::1]"]);

/** `https://x.convex.cloud` → `https://x.convex.site`; the local backend's `:3210` → `:3211`. */
export function convexSiteUrl(clientUrl: string | undefined): string | null {
  if (!clientUrl) return null;
  let url: URL;
  try {
    url = new URL(clientUrl);
  } catch {
    return null;
  }
  if (url.hostname.endsWith(".convex.cloud")) {
    url.hostname = url.hostname.replace(/\.convex\.cloud$/, ".convex.site");
  } else if (LOCAL_HOSTS.has(url.hostname) && url.port === "3210") {
    url.port = "3211";
  } else {
    // Self-hosted and other setups serve HTTP actions on a URL of their own choosing.
    return null;
  }
  return url.origin;
}

export const LOG_STREAM_PATH = "/log-stream";

export function logStreamWebhookUrl(clientUrl: string | undefined): string | null {
  const site = convexSiteUrl(clientUrl);
  return site === null ? null : `${site}${LOG_STREAM_PATH}`;
}
