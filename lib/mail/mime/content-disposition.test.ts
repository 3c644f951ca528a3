import { describe, expect, it } from "vitest";
import { contentDispositionHeader, safeDownloadType } from "./content-disposition";

describe("contentDispositionHeader", () => {
  it("writes plain ASCII names in both forms", () => {
    expect(contentDispositionHeader("report.pdf", "attachment")).toBe(
      `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
    );
  });

  it("percent-encodes UTF-8 and gives an ASCII fallback (RFC 6266, RFC 8187)", () => {
    expect(contentDispositionHeader("Grüße 日本.pdf", "inline")).toBe(
      `inline; filename="Gr__e __.pdf"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E6%97%A5%E6%9C%AC.pdf`,
    );
  });

  it("cannot be broken out of by quotes, backslashes, separators or line breaks", () => {
    expect(contentDispositionHeader('a"b\\c;d%e\r\nSet-Cookie: x=1.txt', "attachment")).toBe(
      `attachment; filename="a_b_c;d_eSet-Cookie: x=1.txt"; filename*=UTF-8''a%22b_c%3Bd%25eSet-Cookie%3A%20x%3D1.txt`,
    );
    expect(contentDispositionHeader("it's (1)*.txt", "attachment")).toBe(
      `attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`,
    );
  });

  it("falls back to a name when nothing is left", () => {
    expect(contentDispositionHeader("\u0000\r\n ", "attachment")).toBe(
      `attachment; filename="download"; filename*=UTF-8''download`,
    );
  });

  it("encodes a lone surrogate as U+FFFD instead of failing", () => {
    expect(contentDispositionHeader("a\ud800.txt", "attachment")).toBe(
      `attachment; filename="a_.txt"; filename*=UTF-8''a%EF%BF%BD.txt`,
    );
  });
});

describe("safeDownloadType", () => {
  it("keeps passive types", () => {
    expect(safeDownloadType("image/png")).toBe("image/png");
    expect(safeDownloadType("IMAGE/JPEG; name=x.jpg")).toBe("image/jpeg");
    expect(safeDownloadType("application/pdf")).toBe("application/pdf");
    expect(safeDownloadType("text/plain; charset=ISO-8859-1")).toBe("text/plain; charset=iso-8859-1");
    expect(safeDownloadType('text/plain; format=flowed; charset="utf-8"')).toBe("text/plain; charset=utf-8");
    expect(safeDownloadType("text/plain")).toBe("text/plain");
  });

  it("turns everything a browser could run into a download", () => {
    for (const type of [
      "text/html",
      "text/html; charset=utf-8",
      "image/svg+xml",
      "application/xhtml+xml",
      "text/xml",
      "application/xml",
      "application/javascript",
      "text/javascript",
      "text/css",
      "application/x-shockwave-flash",
      "multipart/x-mixed-replace",
      "application/octet-stream",
      "something/unknown",
      "",
      "garbage",
    ]) {
      expect(safeDownloadType(type)).toBe("application/octet-stream");
    }
  });

  it("does not pass a hostile charset through", () => {
    expect(safeDownloadType("text/plain; charset=utf-8\r\nX: y")).toBe("text/plain");
    expect(safeDownloadType('text/plain; charset="a b"')).toBe("text/plain");
  });
});
