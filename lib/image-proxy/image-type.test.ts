import { describe, expect, it } from "vitest";
import { AVIF_2X2, JPEG_1X1, JPEG_3X2, WEBP_1X1, WEBP_3X2, avifDeclaring, png } from "../../tests/support/images";
import { BLANK_GIF, imageDimensions, sniffImageType } from "./image-type";

// A 3×2 PNG header (signature + IHDR) is enough for both functions.
function pngHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "ascii");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

function gifHeader(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write("GIF89a", 0, "ascii");
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

describe("sniffImageType", () => {
  it("knows raster images by their first bytes", () => {
    expect(sniffImageType(pngHeader(3, 2))).toBe("image/png");
    expect(sniffImageType(gifHeader(3, 2))).toBe("image/gif");
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("image/jpeg");
    expect(sniffImageType(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("image/webp");
    expect(sniffImageType(Buffer.from("\x00\x00\x00\x1cftypavif", "latin1"))).toBe("image/avif");
  });

  it("refuses what is not a raster image, whatever it was labelled", () => {
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImageType(Buffer.from("<?xml version=\"1.0\"?><svg/>"))).toBeNull();
    expect(sniffImageType(Buffer.from("<!doctype html><script>alert(1)</script>"))).toBeNull();
    expect(sniffImageType(Buffer.from("GIF8"))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});

describe("imageDimensions", () => {
  it("reads PNG and GIF sizes, so a 1×1 tracking pixel can be told apart", () => {
    expect(imageDimensions(pngHeader(3, 2), "image/png")).toEqual({ width: 3, height: 2 });
    expect(imageDimensions(pngHeader(1, 1), "image/png")).toEqual({ width: 1, height: 1 });
    expect(imageDimensions(gifHeader(640, 480), "image/gif")).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(BLANK_GIF, "image/gif")).toEqual({ width: 1, height: 1 });
  });

  // A tracking pixel comes in any format a browser draws, not only GIF and PNG.
  it("reads JPEG, WebP and AVIF sizes from encoders' real output", () => {
    for (const [bytes, width, height] of [
      [JPEG_1X1, 1, 1],
      [JPEG_3X2, 3, 2],
      [WEBP_1X1, 1, 1],
      [WEBP_3X2, 3, 2],
      [AVIF_2X2, 2, 2],
      [avifDeclaring(1, 1), 1, 1],
    ] as const) {
      const type = sniffImageType(bytes);
      expect(type).not.toBeNull();
      expect(imageDimensions(bytes, type!)).toEqual({ width, height });
    }
  });

  it("measures only as the format the bytes were sniffed as", () => {
    expect(imageDimensions(png(1, 1), "image/jpeg")).toBeNull();
    expect(imageDimensions(JPEG_1X1, "image/png")).toBeNull();
  });

  it("gives up on truncated headers instead of throwing", () => {
    expect(imageDimensions(JPEG_1X1.subarray(0, 40), "image/jpeg")).toBeNull();
    expect(imageDimensions(pngHeader(3, 2).subarray(0, 18), "image/png")).toBeNull();
    expect(imageDimensions(Buffer.from("GIF89a"), "image/gif")).toBeNull();
  });
});
