/**
 * Which deployment the console acts on, and how its settings are checked. An admin sets the URL and
 * deploy key in Settings; otherwise the environment may name one, with the variable names the
 * console documents (`CONVEX_DEPLOYMENT_URL` / `CONVEX_DEPLOY_KEY`) or the ones Convex's own CLI
 * reads for self-hosted deployments (`CONVEX_SELF_HOSTED_URL` / `CONVEX_SELF_HOSTED_ADMIN_KEY`).
 */

export type ConnectionSource = "settings" | "environment";

export type ResolvedConnection = { url: string; deployKey: string; source: ConnectionSource };

export type StoredConnection = { url: string; deployKey: string } | null;

type Environment = Record<string, string | undefined>;

const firstSet = (env: Environment, names: string[]) =>
  names.map((name) => env[name]?.trim()).find((value): value is string => Boolean(value));

export function connectionFromEnvironment(env: Environment): { url: string; deployKey: string } | null {
  const url = firstSet(env, ["CONVEX_DEPLOYMENT_URL", "CONVEX_SELF_HOSTED_URL"]);
  const deployKey = firstSet(env, ["CONVEX_DEPLOY_KEY", "CONVEX_SELF_HOSTED_ADMIN_KEY"]);
  return url && deployKey ? { url, deployKey } : null;
}

/** Settings win over the environment: an admin who pasted a key meant that key. */
export function resolveConnection(stored: StoredConnection, env: Environment): ResolvedConnection | null {
  if (stored !== null) return { ...stored, source: "settings" };
  const fromEnv = connectionFromEnvironment(env);
  return fromEnv === null ? null : { ...fromEnv, source: "environment" };
}

/**
 * What the stored deploy key is bound to (AES-GCM additional data): the URL it was entered with.
 * After the URL changed, or with a ciphertext copied from elsewhere, it does not decrypt, so the key
 * is only ever sent to the deployment it was entered for.
 */
export function deployKeyPurpose(url: string): string {
  return `deployment-key:${normalizeDeploymentUrl(url)}`;
}

/** What is wrong with a deployment URL an admin entered, or null. */
export function deploymentUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Enter the deployment URL, e.g. https://happy-otter-123.convex.cloud or http://127.0.0.1:3210.";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return "The deployment URL must start with https:// (or http:// for a local backend).";
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    return "The deployment URL must not carry credentials, a query or a fragment.";
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") {
    return "Enter the deployment's base URL only, without a path.";
  }
  return null;
}

/** The URL as the console stores it: no trailing slash. */
export function normalizeDeploymentUrl(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/**
 * Convex deploy keys look like `prod:happy-otter-123|<secret>`; self-hosted admin keys like
 * `<name>|<hex>`. Anything printable without spaces, long enough to be a secret, is accepted.
 */
const DEPLOY_KEY_PATTERN = /^[\x21-\x7e]{20,1024}$/;

export function deployKeyProblem(key: string): string | null {
  return DEPLOY_KEY_PATTERN.test(key)
    ? null
    : "Paste the deploy key from the Convex dashboard (Settings → Deploy keys) or the self-hosted admin key: at least 20 characters, no spaces.";
}

/**
 * True when the connected deployment is the one this console runs on: a restore there must never
 * replace the console's own tables. Compares scheme, host and port, ignoring a trailing slash.
 */
export function isSameDeployment(connectedUrl: string, ownUrls: Array<string | undefined>): boolean {
  const key = (url: string) => {
    try {
      const parsed = new URL(url);
      const host = parsed.hostname === "localhost" ? "127.0.0.1" : parsed.hostname;
      return `${parsed.protocol}//${host}:${parsed.port || (parsed.protocol === "https:" ? "443" : "80")}`;
    } catch {
      return null;
    }
  };
  const connected = key(connectedUrl);
  return connected !== null && ownUrls.some((url) => url !== undefined && key(url) === connected);
}
