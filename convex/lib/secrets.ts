/** How every secret (webhook secret, deploy key) is shown and audited: never more than its last four characters. */
export function maskSecret(secret: string): string {
  return `••••${secret.slice(-4)}`;
}
