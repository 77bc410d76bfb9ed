/** For tests: a connection stored as `setConnection` stores it (the key sealed for its URL), without an admin. */
import { env } from "../_generated/server";
import { seal } from "../lib/secretBox";
import { maskSecret } from "../lib/secrets";
import type { Backend } from "../test.helpers";
import { deployKeyPurpose } from "./model/connection";

export async function storeConnection(t: Backend, url: string, deployKey: string, by = "test") {
  const key = await seal(deployKey, deployKeyPurpose(url), env.CONSOLE_SECRETS_KEY!);
  await t.run(async (ctx) => {
    await ctx.db.insert("deploymentConnection", { url, updatedAt: 0, updatedBy: by });
    await ctx.db.insert("deploymentKeys", { key, masked: maskSecret(deployKey), setAt: 0, setBy: by });
  });
}
