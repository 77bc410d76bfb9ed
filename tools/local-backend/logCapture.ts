/**
 * Captures `console.*` output of a function execution as Convex `logLines`
 * ("[LOG] 'message' 42"), which the clients print as `[CONVEX Q(path)] [LOG] …`.
 * The output is also printed by the backend process, prefixed with the function path.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import { functionCallMeter } from "./currentUsage.ts";

const LEVELS = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;
const storage = new AsyncLocalStorage<{ lines: string[]; label: string }>();
let installed = false;

/**
 * Whether a function's console line is also printed in the backend's terminal (it always reaches
 * the client as a log line, as on Convex). The auth library logs one INFO line per sign-in step
 * and per token refresh (`auth:store` type: refreshSession) for every open tab, which would
 * flood the terminal; its warnings and errors still print.
 */
export function printsToTerminal(label: string, level: (typeof LEVELS)[keyof typeof LEVELS]): boolean {
  const authLibrary = /^[QMA]\(auth:/.test(label);
  return !authLibrary || level === "WARN" || level === "ERROR";
}

function install() {
  if (installed) return;
  installed = true;
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [method, level] of Object.entries(LEVELS)) {
    const original = target[method]!.bind(console);
    target[method] = (...args: unknown[]) => {
      const store = storage.getStore();
      if (!store) {
        original(...args);
        return;
      }
      const text = args.map((a) => inspect(a, { depth: 4, breakLength: Infinity })).join(" ");
      store.lines.push(`[${level}] ${text}`);
      if (printsToTerminal(store.label, level)) original(`[${store.label}] [${level}]`, ...args);
    };
  }
}

export async function withLogCapture<T>(
  label: string,
  fn: () => Promise<T>,
): Promise<{ value: T; logLines: string[] }> {
  install();
  // Every function execution passes here once: the local backend's get_current_usage counts them.
  functionCallMeter.record();
  const store = { lines: [] as string[], label };
  try {
    const value = await storage.run(store, fn);
    return { value, logLines: store.lines };
  } catch (error) {
    (error as { logLines?: string[] }).logLines = store.lines;
    throw error;
  }
}

/** Log lines attached to an error thrown from `withLogCapture`. */
export function logLinesOf(error: unknown): string[] {
  const lines = (error as { logLines?: unknown } | null)?.logLines;
  return Array.isArray(lines) ? (lines as string[]) : [];
}
