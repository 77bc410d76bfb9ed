import { describe, expect, it } from "vitest";
import { printsToTerminal, withLogCapture } from "./logCapture.ts";

describe("function log lines", () => {
  it("keeps the auth library's per-request lines out of the terminal, but not its warnings", () => {
    expect(printsToTerminal("M(auth:store)", "INFO")).toBe(false);
    expect(printsToTerminal("A(auth:signIn)", "DEBUG")).toBe(false);
    expect(printsToTerminal("M(auth:store)", "WARN")).toBe(true);
    expect(printsToTerminal("M(auth:store)", "ERROR")).toBe(true);
    expect(printsToTerminal("Q(tasks/tasks:list)", "INFO")).toBe(true);
    expect(printsToTerminal("M(authors:add)", "LOG")).toBe(true);
  });

  it("still hands every line to the client", async () => {
    const { logLines } = await withLogCapture("M(auth:store)", async () => {
      console.info("`auth:store` type: refreshSession");
    });
    expect(logLines).toEqual(["[INFO] '`auth:store` type: refreshSession'"]);
  });
});
