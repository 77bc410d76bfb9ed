import { renderHook } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useDefaultDeployment } from "./remembered";

const LIST = [{ name: "tall-sheep-123" }, { name: "happy-cat-456" }];

describe("useDefaultDeployment", () => {
  it("waits for the list in a browser that has never shown a default", () => {
    const { result, rerender } = renderHook(({ list }) => useDefaultDeployment(list), {
      initialProps: { list: undefined as typeof LIST | undefined },
    });
    expect(result.current).toBeUndefined();
    rerender({ list: LIST });
    expect(result.current).toBe("tall-sheep-123");
  });

  it("names the default this browser showed last while the list loads, then follows the list", () => {
    renderHook(() => useDefaultDeployment(LIST)).unmount();
    const { result, rerender } = renderHook(({ list }) => useDefaultDeployment(list), {
      initialProps: { list: undefined as typeof LIST | undefined },
    });
    expect(result.current).toBe("tall-sheep-123");
    // Another deployment streamed more recently since: the page follows the list, not its memory.
    rerender({ list: [{ name: "happy-cat-456" }] });
    expect(result.current).toBe("happy-cat-456");
    const reopened = renderHook(() => useDefaultDeployment(undefined));
    expect(reopened.result.current).toBe("happy-cat-456");
  });

  it("answers null when nothing streams here, and forgets the last default", () => {
    renderHook(() => useDefaultDeployment(LIST)).unmount();
    const { result } = renderHook(() => useDefaultDeployment([]));
    expect(result.current).toBeNull();
    expect(renderHook(() => useDefaultDeployment(undefined)).result.current).toBeUndefined();
  });
});
