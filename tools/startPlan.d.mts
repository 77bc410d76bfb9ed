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

export function parseStartArgs(argv: string[]): {
  reset: boolean;
  /** The light demo trickle through loadgen; off with --no-demo-traffic. */
  demoTraffic: boolean;
  appPort: number;
  backendPort: number;
  sitePort: number;
};

export function demoTrafficArgs(options: { root: string; siteUrl: string; convexUrl: string }): string[];
