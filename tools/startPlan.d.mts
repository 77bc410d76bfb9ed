export function ensureWebhookSecret(envFile: string): void;

export function localBackendArgs(options: {
  root: string;
  /** Holds the env file `backend.env` and the store `local-backend/`. */
  localDir: string;
  host: string;
  port: number;
  sitePort: number;
  appUrl: string;
  reset: boolean;
}): string[];
