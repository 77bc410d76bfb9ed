/**
 * Key material for @convex-dev/auth: `JWT_PRIVATE_KEY` (PKCS#8 PEM, newlines as spaces, the way
 * @convex-dev/auth's setup stores it) and `JWKS` (the matching public key set).
 */
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";

export async function generateAuthKeys(): Promise<{ JWT_PRIVATE_KEY: string; JWKS: string; pem: string }> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const pkcs8 = await exportPKCS8(privateKey);
  const jwk = await exportJWK(publicKey);
  return {
    JWT_PRIVATE_KEY: pkcs8.trimEnd().replace(/\n/g, " "),
    JWKS: JSON.stringify({ keys: [{ use: "sig", ...jwk }] }),
    pem: pkcs8,
  };
}
