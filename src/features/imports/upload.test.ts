import { describe, expect, it, vi } from "vitest";
import type { Id } from "@convex/_generated/dataModel";
import { fakeId } from "@/test/fakeConvex";
import { uploadChunks, UploadStoppedError, type UploadCalls } from "./upload";

const importId = fakeId("imports", "i1");

function recordingCalls(onPost?: (index: number) => void) {
  const posted: string[] = [];
  const calls: UploadCalls = {
    uploadUrl: vi.fn(async () => `https://storage/upload/${posted.length}`),
    post: vi.fn(async (_url: string, chunk: Blob) => {
      posted.push(await chunk.text());
      onPost?.(posted.length);
      return `s${posted.length - 1}` as Id<"_storage">;
    }),
    addPart: vi.fn(async () => null),
    finishUpload: vi.fn(async () => null),
  };
  return { calls, posted };
}

describe("chunked upload", () => {
  it("sends the chunks in order, records each, then finishes", async () => {
    const { calls, posted } = recordingCalls();
    await uploadChunks(importId, new Blob(["abcdefghij"]), calls, undefined, 4);
    expect(posted).toEqual(["abcd", "efgh", "ij"]);
    expect(vi.mocked(calls.addPart).mock.calls.map(([args]) => args)).toEqual([
      { importId, index: 0, storageId: "s0" },
      { importId, index: 1, storageId: "s1" },
      { importId, index: 2, storageId: "s2" },
    ]);
    expect(calls.finishUpload).toHaveBeenCalledWith({ importId });
  });

  it("stops between chunks once aborted and never finishes", async () => {
    const controller = new AbortController();
    const { calls, posted } = recordingCalls((count) => count === 1 && controller.abort());
    await expect(
      uploadChunks(importId, new Blob(["abcdefghij"]), calls, controller.signal, 4),
    ).rejects.toBeInstanceOf(UploadStoppedError);
    expect(posted).toEqual(["abcd"]);
    expect(calls.addPart).not.toHaveBeenCalled();
    expect(calls.finishUpload).not.toHaveBeenCalled();
  });
});
