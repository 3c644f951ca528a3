import "server-only";
import { imageSize } from "image-size";

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

// image-size's name for each format we serve: its reading counts only when it parsed the bytes as
// the same format we sniffed (a polyglot must not be measured as one format and served as another).
const SIZE_TYPE: Record<ImageType, readonly string[]> = {
  "image/png": ["png"],
  "image/gif": ["gif"],
  "image/jpeg": ["jpg"],
  "image/webp": ["webp"],
  // image-size names an HEIF file by its brand; an AVIF sequence ("avis") it does not read.
  "image/avif": ["avif"],
  "image/bmp": ["bmp"],
  "image/x-icon": ["ico"],
};

/**
 * Width and height from the image's own header, read by image-size (JPEG's frame header after any
 * number of segments, AVIF's `ispe` property deep in its boxes, and the rest); for a file holding
 * several images (ICO, AVIF with a thumbnail), the largest. Null when the header cannot be read.
 */
export function imageDimensions(bytes: Uint8Array, type: ImageType): { width: number; height: number } | null {
  // image-size reads through a DataView of the whole ArrayBuffer: a view into a larger buffer (a
  // Buffer from Node's shared pool, a subarray) would let it read past a truncated header into
  // unrelated bytes. Give it exactly the image's bytes.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
  try {
    const size = imageSize(own);
    if (!size.type || !SIZE_TYPE[type].includes(size.type)) return null;
    if (!Number.isFinite(size.width) || !Number.isFinite(size.height)) return null;
    return { width: size.width, height: size.height };
  } catch {
    // image-size throws on a truncated or unknown header.
    return null;
  }
}

/** A transparent 1×1 GIF of our own, served in place of a sender's tracking pixel. */
export const BLANK_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
