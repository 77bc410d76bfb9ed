import { describe, expect, it, vi } from "vitest";
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
    }),
    finishUpload: vi.fn(async () => null),
  };
  return { calls, posted };
}

describe("chunked upload", () => {
  it("sends the chunks in order, each to a fresh URL for the import, then finishes", async () => {
    const { calls, posted } = recordingCalls();
    await uploadChunks(importId, new Blob(["abcdefghij"]), calls, undefined, 4);
    expect(posted).toEqual(["abcd", "efgh", "ij"]);
    expect(vi.mocked(calls.uploadUrl).mock.calls.map(([args]) => args)).toEqual([
      { importId },
      { importId },
      { importId },
    ]);
    expect(vi.mocked(calls.post).mock.calls.map(([url]) => url)).toEqual([
      "https://storage/upload/0",
      "https://storage/upload/1",
      "https://storage/upload/2",
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
    expect(calls.finishUpload).not.toHaveBeenCalled();
  });
});
