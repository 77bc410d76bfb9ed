import { describe, expect, it } from "vitest";
import { convexSiteUrl, logStreamWebhookUrl } from "./logStreamUrl";

describe("log-stream webhook URL", () => {
  it("uses the .convex.site host of a cloud deployment", () => {
    expect(logStreamWebhookUrl("https://tall-sheep-123.convex.cloud")).toBe(
      "https://tall-sheep-123.convex.site/log-stream",
    );
  });

  it("uses port 3211 of the local backend", () => {
    expect(convexSiteUrl("http://127.0.0.1:3210")).toBe("http://127.0.0.1:3211");
  });

  it("does not guess for other hosts or a missing URL", () => {
    expect(convexSiteUrl("https://convex.example.com")).toBeNull();
    expect(convexSiteUrl(undefined)).toBeNull();
    expect(convexSiteUrl("not a url")).toBeNull();
  });
});
