import { describe, expect, test } from "vitest";
import {
  attachmentDisposition,
  backupFileName,
  DOWNLOAD_LINK_LIFETIME_MS,
  downloadLinkUrl,
  downloadTokenRefusal,
  hashDownloadToken,
  isWellFormedDownloadToken,
  newDownloadToken,
} from "./downloadToken";

describe("download tokens", () => {
  test("are 256 random bits in hex, different each time, and stored as their SHA-256", () => {
    const token = newDownloadToken();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(newDownloadToken()).not.toBe(token);
    expect(hashDownloadToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashDownloadToken(token)).not.toContain(token);
  });

  test("only the issued shape is accepted for a lookup", () => {
    expect(isWellFormedDownloadToken(newDownloadToken())).toBe(true);
    expect(isWellFormedDownloadToken(null)).toBe(false);
    expect(isWellFormedDownloadToken("AB".repeat(32))).toBe(false);
    expect(isWellFormedDownloadToken("ab".repeat(33))).toBe(false);
  });

  test("a link lives on the site origin, whatever its trailing slash", () => {
    expect(downloadLinkUrl("https://x.convex.site/", "ab")).toBe(
      "https://x.convex.site/backups/download?token=ab",
    );
  });

  test("a token is refused when unknown (403), used or expired (410), and accepted until it expires", () => {
    const now = 1_000_000;
    const fresh = { expiresAt: now + DOWNLOAD_LINK_LIFETIME_MS };
    expect(downloadTokenRefusal(fresh, now)).toBeNull();
    expect(downloadTokenRefusal(fresh, now + DOWNLOAD_LINK_LIFETIME_MS - 1)).toBeNull();
    expect(downloadTokenRefusal(fresh, now + DOWNLOAD_LINK_LIFETIME_MS)?.status).toBe(410);
    expect(downloadTokenRefusal({ ...fresh, usedAt: now }, now)).toEqual({
      status: 410,
      message: "This download link has already been used. Ask for a new one on the Backups page.",
    });
    expect(downloadTokenRefusal(null, now)?.status).toBe(403);
  });
});

describe("downloaded file names", () => {
  test("a backup is named after its deployment and the UTC second it was taken", () => {
    expect(
      backupFileName({
        deployment: "happy-otter-123",
        takenAt: Date.parse("2026-11-24T09:30:15.120Z"),
        requestedAt: 0,
      }),
    ).toBe("happy-otter-123-2026-11-24T09-30-15Z.zip");
    expect(backupFileName({ deployment: "a/b", requestedAt: Date.parse("2026-01-02T03:04:05Z") })).toBe(
      "b-2026-01-02T03-04-05Z.zip",
    );
  });

  test("an uploaded file's name is safely quoted: no folders, quotes, control characters or header breaks", () => {
    expect(attachmentDisposition("tasks.csv")).toBe(
      `attachment; filename="tasks.csv"; filename*=UTF-8''tasks.csv`,
    );
    expect(attachmentDisposition('../../etc/x"; filename="evil.exe\r\nSet-Cookie: a=b.csv')).toBe(
      `attachment; filename="x_; filename=_evil.exe__Set-Cookie: a=b.csv"; filename*=UTF-8''x_%3B%20filename%3D_evil.exe__Set-Cookie%3A%20a%3Db.csv`,
    );
    expect(attachmentDisposition("Übersicht (1).csv")).toBe(
      `attachment; filename="_bersicht (1).csv"; filename*=UTF-8''%C3%9Cbersicht%20%281%29.csv`,
    );
    expect(attachmentDisposition("..")).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
