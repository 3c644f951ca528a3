import "server-only";

// What an image really is, from its first bytes: a sender's Content-Type may lie (an HTML page
// or an SVG with script labelled image/png). Only raster formats every browser shows inertly are
// served; SVG is refused, since opened on its own in a tab it is a document that can run script.

export type ImageType = "image/png" | "image/gif" | "image/jpeg" | "image/webp" | "image/avif" | "image/bmp" | "image/x-icon";

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length && [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** The image type the bytes start with, or null for anything else (SVG, HTML, truncated data). */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return "image/png";
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "image/gif";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
  // ISO BMFF: a box size, then "ftyp" and a brand (AVIF still images and sequences).
  if (ascii(bytes, 4, "ftyp") && (ascii(bytes, 8, "avif") || ascii(bytes, 8, "avis"))) return "image/avif";
  if (ascii(bytes, 0, "BM") && bytes.length >= 26) return "image/bmp";
  if (bytes.length >= 6 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 1 && bytes[3] === 0 && bytes[4]! + bytes[5]! > 0) return "image/x-icon";
  return null;
}

/** Width and height from the header, where the format puts them at a fixed place; null otherwise. */
export function imageDimensions(bytes: Uint8Array, type: ImageType): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (type) {
      case "image/png":
        // The IHDR chunk comes first (PNG spec §5.3): width and height, big-endian, at 16 and 20.
        return ascii(bytes, 12, "IHDR") ? { width: view.getUint32(16), height: view.getUint32(20) } : null;
      case "image/gif":
        // The logical screen descriptor: little-endian width and height at 6 and 8.
        return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
      case "image/webp":
        if (ascii(bytes, 12, "VP8X")) {
          const w = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
          const h = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
          return { width: w, height: h };
        }
        if (ascii(bytes, 12, "VP8L")) {
          const b = view.getUint32(21, true);
          return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
        }
        if (ascii(bytes, 12, "VP8 ")) return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
        return null;
      case "image/bmp":
        return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
      default:
        // JPEG's size sits in a frame header after any number of segments; AVIF's deep in its boxes.
        return null;
    }
  } catch {
    return null;
  }
}

/** A transparent 1×1 GIF of our own, served in place of a sender's tracking pixel. */
export const BLANK_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
