/**
 * A scheduled job that froze the process is not run again after kill -9 and a restart: it is
 * failed with a sentence, as Convex fails a job whose run was lost, and the backend answers.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Value } from "convex/values";
import { Store } from "./persistence.ts";
import { callOverHttp, spawnBackend, tempDir, waitFor, type RunningBackend } from "./testSupport.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(dataDir: string): Promise<RunningBackend> {
  const backend = await spawnBackend({ dataDir, crons: false });
  cleanups.push(() => backend.kill());
  return backend;
}

/** The backend is expected to freeze: a call that hangs fails after two seconds instead. */
const call = (
  backend: RunningBackend,
  kind: "query" | "mutation",
  path: string,
  args: Record<string, Value>,
) => callOverHttp(backend.url, kind, path, args, { signal: AbortSignal.timeout(2000) });

const answers = async (backend: RunningBackend, ms: number) => {
  try {
    return (await fetch(`${backend.url}/version`, { signal: AbortSignal.timeout(ms) })).ok;
  } catch {
    return false;
  }
};

describe("a poisoned scheduled job", { timeout: 60_000 }, () => {
  it("is failed after kill -9 and a restart, not run again", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const first = await start(dir.path);
    await call(first, "mutation", "jobs:scheduleHang", {});
    // The job spins on the event loop: the backend stops answering.
    await waitFor(async () => !(await answers(first, 300)), 10_000, "the job to freeze the backend");
    await first.kill();

    const second = await start(dir.path);
    // Were the job run again, it would freeze this backend too within its first timer tick.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    expect(await answers(second, 1000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await call(second, "query", "jobs:jobStates", { name: "jobs:hang" })).toEqual([
      { kind: "failed", error: "The backend stopped while it ran." },
    ]);
  });
});

describe("the started-jobs journal", { timeout: 60_000 }, () => {
  it("forgets a job once it succeeded or failed, so only a job cut off by the process stays in it", async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const backend = await start(dir.path);
    await call(backend, "mutation", "jobs:scheduleEnding", {});
    const ended = async () => {
      const states = (await call(backend, "query", "jobs:jobStates", { name: "jobs:succeed" })) as Value[];
      const failed = (await call(backend, "query", "jobs:jobStates", { name: "jobs:throwError" })) as Value[];
      return JSON.stringify([...states, ...failed]) === '[{"kind":"success"},{"kind":"failed"}]';
    };
    await waitFor(ended, 10_000, "both jobs to end");
    // kill -9: what the journal holds is what the commits wrote, not what a shutdown tidied.
    await backend.kill();
    const store = Store.open(dir.path);
    cleanups.push(() => store.close());
    expect(store.startedJobIds()).toEqual([]);
  });
});
