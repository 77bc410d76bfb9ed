/**
 * Verifies the JWTs clients send (WebSocket `Authenticate`, HTTP `Authorization: Bearer`)
 * against the providers of `convex/auth.config.ts`, and builds the identity as Convex does.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import type { Identity } from "./convexTestAdapter.ts";

export interface AuthProviderConfig {
  type?: "customJwt";
  domain?: string;
  applicationID?: string;
  issuer?: string;
  jwks?: string;
  algorithm?: string;
}

export class AuthFailure extends Error {}

/** Standard OIDC claims → UserIdentity fields (Convex's mapping). */
const CLAIM_TO_FIELD: Record<string, string> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  address: "address",
  updated_at: "updatedAt",
};
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

interface ResolvedProvider {
  describe: string;
  issuer: string;
  audience: string | undefined;
  custom: boolean;
  algorithms: string[] | undefined;
  keys: () => Promise<JWTVerifyGetKey>;
}

export class AuthVerifier {
  private readonly providers: ResolvedProvider[];

  constructor(configs: AuthProviderConfig[], env: NodeJS.ProcessEnv) {
    this.providers = configs.map((config) => resolveProvider(config, env));
  }

  get providerCount(): number {
    return this.providers.length;
  }

  async verify(token: string): Promise<Identity> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new AuthFailure("Could not parse JWT payload. Check that the token is a valid JWT format.");
    }
    const iss = typeof unverified.iss === "string" ? trimSlash(unverified.iss) : undefined;
    const auds = Array.isArray(unverified.aud) ? unverified.aud : unverified.aud ? [unverified.aud] : [];
    const provider = this.providers.find(
      (p) => p.issuer === iss && (p.audience === undefined || auds.includes(p.audience)),
    );
    if (!provider) {
      throw new AuthFailure(
        "No auth provider found matching the given token (no providers configured). Check " +
          "convex/auth.config.ts. Token issuer: " +
          String(unverified.iss) +
          ", audience: " +
          JSON.stringify(unverified.aud) +
          ". Configured: " +
          (this.providers.map((p) => p.describe).join(", ") || "none"),
      );
    }
    let payload: JWTPayload;
    try {
      const result = await jwtVerify(token, await provider.keys(), {
        issuer: [provider.issuer, `${provider.issuer}/`],
        ...(provider.audience !== undefined ? { audience: provider.audience } : {}),
        ...(provider.algorithms ? { algorithms: provider.algorithms } : {}),
      });
      payload = result.payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new AuthFailure("Token expired");
      }
      throw new AuthFailure(
        "Could not verify token claim. Check that the token signature is valid and the token hasn't expired. " +
          (error instanceof Error ? error.message : String(error)),
      );
    }
    if (typeof payload.sub !== "string" || typeof payload.iss !== "string") {
      throw new AuthFailure("Token is missing the `sub` or `iss` claim");
    }
    const identity: Identity = {
      subject: payload.sub,
      issuer: payload.iss,
      tokenIdentifier: `${payload.iss}|${payload.sub}`,
    };
    for (const [claim, value] of Object.entries(payload)) {
      if (REGISTERED_CLAIMS.has(claim) || value === undefined) continue;
      const field = CLAIM_TO_FIELD[claim];
      if (field !== undefined) identity[field] = value;
      else if (provider.custom) identity[claim] = value;
    }
    return identity;
  }
}

function resolveProvider(config: AuthProviderConfig, env: NodeJS.ProcessEnv): ResolvedProvider {
  if (config.type === "customJwt") {
    if (!config.issuer || !config.jwks) throw new Error("customJwt provider needs `issuer` and `jwks`");
    const jwksUrl = config.jwks;
    let cached: JWTVerifyGetKey | null = null;
    return {
      describe: `CustomJWT(issuer=${config.issuer}, app_id=${config.applicationID ?? "-"})`,
      issuer: trimSlash(config.issuer),
      audience: config.applicationID,
      custom: true,
      algorithms: config.algorithm ? [config.algorithm] : undefined,
      keys: async () => {
        if (cached) return cached;
        if (jwksUrl.startsWith("data:")) {
          const json = decodeDataUrl(jwksUrl);
          cached = createLocalJWKSet(JSON.parse(json));
        } else {
          cached = createRemoteJWKSet(new URL(jwksUrl));
        }
        return cached;
      },
    };
  }
  if (!config.domain) throw new Error("auth.config.ts provider without `domain`");
  const domain = trimSlash(config.domain);
  const siteUrl = env.CONVEX_SITE_URL ? trimSlash(env.CONVEX_SITE_URL) : undefined;
  let cached: JWTVerifyGetKey | null = null;
  return {
    describe: `OIDC(domain=${domain}, app_id=${config.applicationID ?? "-"})`,
    issuer: domain,
    audience: config.applicationID,
    custom: false,
    algorithms: undefined,
    keys: async () => {
      if (cached) return cached;
      // @convex-dev/auth publishes the JWKS env var at <site>/.well-known/jwks.json; read it
      // directly when the provider is this deployment, instead of calling ourselves over HTTP.
      if (domain === siteUrl && env.JWKS) {
        cached = createLocalJWKSet(JSON.parse(env.JWKS));
        return cached;
      }
      const discovery = await fetch(`${domain}/.well-known/openid-configuration`);
      if (!discovery.ok) throw new AuthFailure(`OIDC discovery failed for ${domain}: ${discovery.status}`);
      const { jwks_uri: jwksUri } = (await discovery.json()) as { jwks_uri: string };
      cached = createRemoteJWKSet(new URL(jwksUri));
      return cached;
    },
  };
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(",");
  const meta = url.slice(5, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(";base64") ? Buffer.from(data, "base64").toString("utf8") : decodeURIComponent(data);
}
