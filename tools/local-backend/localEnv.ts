/**
 * Creates the missing auth keys and URLs that @convex-dev/auth needs (`JWT_PRIVATE_KEY`, `JWKS`,
 * `SITE_URL`, `CONVEX_SITE_URL`), the backend's admin key (`CONVEX_SELF_HOSTED_ADMIN_KEY`, the
 * variable the Convex CLI reads for a self-hosted deployment) and the key the console encrypts its
 * stored secrets with (`CONSOLE_SECRETS_KEY`, base64 of 32 random bytes) in a git-ignored env file,
 * keeping every value already there.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { generateAdminKey } from "./adminKey.ts";
import { generateAuthKeys } from "./authKeys.ts";

export interface LocalEnvDefaults {
  /** Where the SPA is served (SITE_URL: @convex-dev/auth redirects there). */
  siteUrl: string;
  /** The backend's HTTP actions URL (CONVEX_SITE_URL: the JWT issuer). */
  convexSiteUrl: string;
}

export async function ensureLocalEnv(
  file: string,
  defaults: LocalEnvDefaults,
): Promise<{ env: Record<string, string>; added: string[] }> {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const env = parseEnvFile(text);
  const additions: Record<string, string> = {};
  if (!env.JWT_PRIVATE_KEY || !env.JWKS) {
    const keys = await generateAuthKeys();
    additions.JWT_PRIVATE_KEY = keys.JWT_PRIVATE_KEY;
    additions.JWKS = keys.JWKS;
  }
  if (!env.SITE_URL) additions.SITE_URL = defaults.siteUrl;
  if (!env.CONVEX_SITE_URL) additions.CONVEX_SITE_URL = defaults.convexSiteUrl;
  if (!env.CONVEX_SELF_HOSTED_ADMIN_KEY) additions.CONVEX_SELF_HOSTED_ADMIN_KEY = generateAdminKey();
  if (!env.CONSOLE_SECRETS_KEY) additions.CONSOLE_SECRETS_KEY = generateSecretsKey();
  const added = Object.keys(additions);
  if (added.length > 0) {
    const lines = Object.entries(additions).map(([k, v]) =>
      v.includes('"') ? `${k}='${v}'` : `${k}="${v}"`,
    );
    const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
    const header =
      text === "" ? "# Local development secrets (git-ignored). Created by tools/local-backend.\n" : "";
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, `${header}${prefix}${lines.join("\n")}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }
  return { env: { ...env, ...additions }, added };
}

/** A fresh CONSOLE_SECRETS_KEY: the AES-256 key of convex/lib/secretBox.ts, in base64. */
export function generateSecretsKey(): string {
  return randomBytes(32).toString("base64");
}

/** Parses a dotenv-style file (quoted values may span lines; "…" understands \\n). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1]!;
    let value = match[2]!;
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      // Quoted values may span lines.
      let rest = value.slice(1);
      while (!rest.endsWith(quote) && i + 1 < lines.length) rest += `\n${lines[++i]}`;
      value = rest.endsWith(quote) ? rest.slice(0, -1) : rest;
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else {
      const hash = value.indexOf(" #");
      if (hash !== -1) value = value.slice(0, hash);
      value = value.trim();
    }
    env[key] = value;
  }
  return env;
}
