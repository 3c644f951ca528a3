import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRemoteImage } from "@/lib/image-proxy/fetch-remote-image";
import { AVIF_2X2, JPEG_1X1, JPEG_3X2, WEBP_1X1, avifDeclaring, png } from "../support/images";

// The image proxy's fetch against a real HTTP server on loopback. Loopback is exactly what the
// proxy must refuse, so most tests name it in the test-only allowlist (as LETTERBOX_PROXY_ALLOW_HOSTS
// does for the e2e app) — and the first tests prove that without it nothing reaches the server.

interface Hit {
  url: string;
  headers: http.IncomingHttpHeaders;
}
const hits: Hit[] = [];
let server: http.Server;
let base: string;
let port: number;

const ALLOW = ["127.0.0.1"];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push({ url: request.url ?? "", headers: request.headers });
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const send = (type: string, body: Buffer | string) => {
      response.writeHead(200, { "Content-Type": type });
      response.end(body);
    };
    switch (path) {
      case "/photo.png":
        return send("image/png", png(3, 2));
      case "/unlabelled.png":
        return send("image/jpeg", png(4, 4)); // wrong label, real image: the bytes decide
      case "/pixel.png":
        return send("image/png", png(1, 1));
      case "/pixel.jpg":
        return send("image/jpeg", JPEG_1X1);
      case "/pixel.webp":
        return send("image/webp", WEBP_1X1);
      case "/pixel.avif":
        return send("image/avif", avifDeclaring(1, 1));
      case "/photo.jpg":
        return send("image/jpeg", JPEG_3X2);
      case "/photo.avif":
        return send("image/avif", AVIF_2X2);
      case "/page.png":
        return send("image/png", "<!doctype html><script>alert(1)</script>");
      case "/vector.svg":
        return send("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      case "/text":
        return send("text/plain", "hello");
      case "/huge.png":
        response.writeHead(200, { "Content-Type": "image/png" });
        response.write(png(3, 2));
        // No Content-Length: the limit must hold on the bytes actually read.
        response.end(Buffer.alloc(300 * 1024));
        return;
      case "/silent.png":
        return; // never answers
      case "/to-photo":
        response.writeHead(302, { Location: "/photo.png?utm_source=mail&keep=1" });
        return response.end();
      case "/to-localhost":
        response.writeHead(302, { Location: `http://localhost:${port}/photo.png` });
        return response.end();
      case "/to-metadata":
        response.writeHead(301, { Location: "http://169.254.169.254/latest/meta-data/" });
        return response.end();
      case "/to-file":
        response.writeHead(302, { Location: "file:///etc/passwd" });
        return response.end();
      case "/loop":
        response.writeHead(302, { Location: "/loop" });
        return response.end();
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("fetchRemoteImage: addresses", () => {
  it("refuses loopback, by address or by name, when no allowlist names it — and nothing reaches the server", async () => {
    hits.length = 0;
    expect(await codeOf(fetchRemoteImage(`${base}/photo.png`))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`http://localhost:${port}/photo.png`))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`http://[::1]:${port}/photo.png`))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`http://[::ffff:127.0.0.1]:${port}/photo.png`))).toBe("IMAGE_REFUSED");
    // Spellings the URL parser turns into 127.0.0.1.
    expect(await codeOf(fetchRemoteImage(`http://0x7f.1:${port}/photo.png`))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`http://2130706433:${port}/photo.png`))).toBe("IMAGE_REFUSED");
    // An allowlist for another host does not open this one.
    expect(await codeOf(fetchRemoteImage(`http://localhost:${port}/photo.png`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(hits).toEqual([]);
  });

  it("refuses private, link-local and other schemes without connecting", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/x.png",
      "http://192.168.1.1/x.png",
      "http://[fe80::1]/x.png",
      "http://224.0.0.1/x.png",
      "file:///etc/passwd",
      "ftp://example.test/x.png",
      "data:image/png;base64,AAAA",
      `http://user:secret@127.0.0.1:${port}/photo.png`,
      "not a url",
    ]) {
      expect(await codeOf(fetchRemoteImage(url, { allowHosts: ALLOW })), url).toBe("IMAGE_REFUSED");
    }
  });
});

describe("fetchRemoteImage: with the test allowlist", () => {
  it("fetches an image, forwarding no cookie, referrer or client address", async () => {
    hits.length = 0;
    const image = await fetchRemoteImage(`${base}/photo.png`, { allowHosts: ALLOW });
    expect(image.type).toBe("image/png");
    expect(image.bytes.equals(png(3, 2))).toBe(true);
    expect(image.trackingPixel).toBe(false);
    expect(hits).toHaveLength(1);
    const headers = hits[0]!.headers;
    expect(headers["user-agent"]).toBe("Letterbox-ImageProxy/1");
    for (const name of ["cookie", "referer", "authorization", "x-forwarded-for", "forwarded"]) expect(headers[name], name).toBeUndefined();
  });

  it("trusts the bytes, not the label: refuses HTML and SVG, accepts a mislabelled real image", async () => {
    expect((await fetchRemoteImage(`${base}/unlabelled.png`, { allowHosts: ALLOW })).type).toBe("image/png");
    expect(await codeOf(fetchRemoteImage(`${base}/page.png`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`${base}/vector.svg`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`${base}/text`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`${base}/missing.png`, { allowHosts: ALLOW }))).toBe("IMAGE_UNAVAILABLE");
  });

  it("tells a 1×1 tracking pixel, in every format it serves", async () => {
    for (const name of ["pixel.png", "pixel.jpg", "pixel.webp", "pixel.avif"]) {
      expect((await fetchRemoteImage(`${base}/${name}`, { allowHosts: ALLOW })).trackingPixel, name).toBe(true);
    }
    for (const name of ["photo.png", "photo.jpg", "photo.avif"]) {
      expect((await fetchRemoteImage(`${base}/${name}`, { allowHosts: ALLOW })).trackingPixel, name).toBe(false);
    }
  });

  it("checks every redirect hop again, and strips tracking parameters on the way", async () => {
    hits.length = 0;
    const image = await fetchRemoteImage(`${base}/to-photo`, { allowHosts: ALLOW });
    expect(image.type).toBe("image/png");
    expect(hits.map((h) => h.url)).toEqual(["/to-photo", "/photo.png?keep=1"]);

    hits.length = 0;
    expect(await codeOf(fetchRemoteImage(`${base}/to-localhost`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`${base}/to-metadata`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    expect(await codeOf(fetchRemoteImage(`${base}/to-file`, { allowHosts: ALLOW }))).toBe("IMAGE_REFUSED");
    // Only the redirecting requests arrived: the refused targets were never contacted.
    expect(hits.map((h) => h.url)).toEqual(["/to-localhost", "/to-metadata", "/to-file"]);

    expect(await codeOf(fetchRemoteImage(`${base}/loop`, { allowHosts: ALLOW, maxRedirects: 3 }))).toBe("IMAGE_UNAVAILABLE");
  });

  it("holds the size limit on the bytes read and the time limit on a silent server", async () => {
    expect(await codeOf(fetchRemoteImage(`${base}/huge.png`, { allowHosts: ALLOW, maxBytes: 64 * 1024 }))).toBe("IMAGE_UNAVAILABLE");
    const started = Date.now();
    const silent = await fetchRemoteImage(`${base}/silent.png`, { allowHosts: ALLOW, timeoutMs: 500 }).catch((e: Error) => e);
    expect((silent as { code?: string }).code).toBe("IMAGE_UNAVAILABLE");
    expect((silent as Error).message).toMatch(/did not answer in time/);
    // Bounded by the limit (plus the slack of a loaded machine), not by the server.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops when the browser goes away", async () => {
    hits.length = 0;
    const controller = new AbortController();
    const pending = codeOf(fetchRemoteImage(`${base}/silent.png`, { allowHosts: ALLOW, timeoutMs: 60_000, signal: controller.signal }));
    await expect.poll(() => hits.some((h) => h.url === "/silent.png")).toBe(true);
    controller.abort();
    expect(await pending).toBe("IMAGE_UNAVAILABLE");
  });
});
