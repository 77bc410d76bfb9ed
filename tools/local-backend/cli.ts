/**
 * Command line for the local backend. Run with plain Node:
 *
 *   node tools/local-backend/main.mjs [--convex-dir convex] [--port 3210] [--site-port 3211]
 *        [--host 127.0.0.1] [--data-dir .local/local-backend] [--reset] [--in-memory]
 *        [--dotenv .env.local] [--init-env] [--app-url http://127.0.0.1:5173] [--no-crons]
 *        [--seed <mutation run once on an empty store>]
 *
 * --init-env creates missing JWT_PRIVATE_KEY, JWKS, SITE_URL (= --app-url), CONVEX_SITE_URL,
 * CONVEX_SELF_HOSTED_ADMIN_KEY and CONSOLE_SECRETS_KEY (the key the console encrypts its stored
 * secrets with) in the (last) --dotenv file before starting.
 *
 * The admin key (CONVEX_SELF_HOSTED_ADMIN_KEY from the env files, else from the process's
 * environment) opens the admin API: `npx convex export` / `npx convex import` work against the
 * backend with CONVEX_SELF_HOSTED_URL=<url> and that key. The key is never printed.
 *
 * Prints one line `local-backend ready url=<url> site=<siteUrl> startup_ms=<n>` when serving.
 */
import { existsSync, readFileSync } from "node:fs";
import { ensureLocalEnv, parseEnvFile } from "./localEnv.ts";

export { parseEnvFile };
import { startLocalBackend } from "./server.ts";

interface CliOptions {
  convexDir: string;
  host: string;
  port: number;
  sitePort: number;
  dataDir: string | null;
  reset: boolean;
  envFiles: string[];
  initEnv: boolean;
  appUrl: string;
  runCrons: boolean;
  seedFunction: string | undefined;
}

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    convexDir: "convex",
    host: "127.0.0.1",
    port: 3210,
    sitePort: 3211,
    dataDir: ".local/local-backend",
    reset: false,
    envFiles: [],
    initEnv: false,
    appUrl: "http://127.0.0.1:5173",
    runCrons: true,
    seedFunction: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=")
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--convex-dir":
        options.convexDir = value();
        break;
      case "--host":
        options.host = value();
        break;
      case "--port":
        options.port = Number(value());
        break;
      case "--site-port":
        options.sitePort = Number(value());
        break;
      case "--data-dir":
        options.dataDir = value();
        break;
      case "--in-memory":
        options.dataDir = null;
        break;
      case "--reset":
        options.reset = true;
        break;
      case "--dotenv":
        options.envFiles.push(value());
        break;
      case "--init-env":
        options.initEnv = true;
        break;
      case "--app-url":
        options.appUrl = value();
        break;
      case "--no-crons":
        options.runCrons = false;
        break;
      case "--seed":
        options.seedFunction = value();
        break;
      case "--help":
      case "-h":
        console.log(readFileSync(new URL(import.meta.url), "utf8").split("*/")[0]);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option ${arg}`);
    }
  }
  if (!Number.isInteger(options.port) || !Number.isInteger(options.sitePort))
    throw new Error("Ports must be integers");
  return options;
}

export async function main(argv: string[]) {
  const options = parseArgs(argv);
  const env: Record<string, string> = {};
  const last = options.envFiles.at(-1);
  if (options.initEnv) {
    if (!last) throw new Error("--init-env needs --dotenv <file>");
    const { added } = await ensureLocalEnv(last, {
      siteUrl: options.appUrl,
      convexSiteUrl: `http://${options.host}:${options.sitePort || 3211}`,
    });
    if (added.length > 0) console.log(`local-backend wrote ${added.join(", ")} to ${last}`);
  }
  for (const file of options.envFiles) {
    if (!existsSync(file)) throw new Error(`Env file not found: ${file}`);
    Object.assign(env, parseEnvFile(readFileSync(file, "utf8")));
  }
  const backend = await startLocalBackend({
    convexDir: options.convexDir,
    host: options.host,
    port: options.port,
    sitePort: options.sitePort,
    dataDir: options.dataDir,
    reset: options.reset,
    env,
    adminKey: env.CONVEX_SELF_HOSTED_ADMIN_KEY || process.env.CONVEX_SELF_HOSTED_ADMIN_KEY || null,
    runCrons: options.runCrons,
    seedFunction: options.seedFunction,
  });
  console.log(
    `local-backend ready url=${backend.url} site=${backend.siteUrl} startup_ms=${backend.startupMs}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`local-backend stopping (${signal})`);
    backend.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
