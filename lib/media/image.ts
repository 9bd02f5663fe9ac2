import sharp, { type Metadata, type Sharp } from "sharp";
import { DomainError } from "@/lib/errors";

// The upload pipeline's image work: trust nothing the client says (name, claimed type), read the
// real type from the bytes, refuse what is too big before decoding it, and re-encode everything so
// metadata (EXIF GPS, comments) and anything appended to the image (polyglots) is dropped.

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
// about 50 megapixels: a 45 MP camera fits; decompression bombs do not
export const MAX_UPLOAD_PIXELS = 50_000_000;
const MAX_FRAMES = 300;
export const VARIANT_WIDTHS = [480, 960, 1600] as const;

export type ImageFormat = "jpeg" | "png" | "webp" | "avif" | "gif";

export const IMAGE_FORMATS: Record<ImageFormat, { mimeType: string; extension: string }> = {
  jpeg: { mimeType: "image/jpeg", extension: "jpg" },
  png: { mimeType: "image/png", extension: "png" },
  webp: { mimeType: "image/webp", extension: "webp" },
  avif: { mimeType: "image/avif", extension: "avif" },
  gif: { mimeType: "image/gif", extension: "gif" },
};

const UPLOAD_EXTENSIONS = new Set(["jpg", "jpeg", "png", "webp", "avif", "gif"]);

export const UNSUPPORTED_TYPE = "Only JPEG, PNG, WebP, AVIF and GIF images can be uploaded.";

/** The image format the bytes really are (by their signature), or null. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && ["avif", "avis"].includes(ascii(8, 12))) return "avif";
  return null;
}

/**
 * The upload's name as a person would read it: no folders, no control or direction-override
 * characters, at most 200 characters. Only shown (escaped) and searched, never used as a path.
 */
export function cleanFilename(name: string): string {
  const base = name.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, "").trim();
  return clean.length > 200 ? `${clean.slice(0, 150)}…${clean.slice(-49)}` : clean;
}

/** Why a file of this name is refused (its last extension is not an image's), or null. */
export function filenameProblem(name: string): string | null {
  const clean = cleanFilename(name);
  const extension = /\.([A-Za-z0-9]+)$/.exec(clean)?.[1]?.toLowerCase();
  return extension && UPLOAD_EXTENSIONS.has(extension) ? null : `“${clean || "This file"}” is not an image file. ${UNSUPPORTED_TYPE}`;
}

export type ProcessedImage = {
  format: ImageFormat;
  width: number;
  height: number;
  original: Buffer;
  variants: { width: number; height: number; bytes: Buffer }[];
};

const unreadable = () => new DomainError("The image could not be read: the file is damaged or incomplete.", 422);

/** Checks and re-encodes an upload; throws a DomainError (413, 415, 422) a person can act on. */
export async function processImage(bytes: Uint8Array): Promise<ProcessedImage> {
  if (bytes.byteLength === 0) throw new DomainError("The file is empty.", 422);
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new DomainError(`The file is too large: images can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`, 413);
  const format = sniffImageFormat(bytes);
  if (!format) throw new DomainError(`The file's content is not an image. ${UNSUPPORTED_TYPE}`, 415);
  const animated = format === "gif" || format === "webp";
  // sharp counts an animation's pixels over all its frames stacked: allow what the check below allows
  const input = () => sharp(bytes, { animated, limitInputPixels: animated ? MAX_UPLOAD_PIXELS * 4 : MAX_UPLOAD_PIXELS, failOn: "error" }).timeout({ seconds: 10 });

  // the header alone says how big the decoded image would be: refuse bombs before decoding
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { animated, limitInputPixels: false }).metadata();
  } catch {
    throw unreadable();
  }
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const frames = meta.pages ?? 1;
  if (!meta.width || !frameHeight) throw unreadable();
  if (meta.width * frameHeight > MAX_UPLOAD_PIXELS || meta.width * frameHeight * frames > MAX_UPLOAD_PIXELS * 4 || frames > MAX_FRAMES) {
    throw new DomainError(`The image is too large: at most ${MAX_UPLOAD_PIXELS / 1_000_000} megapixels (this one is ${meta.width} × ${frameHeight}${frames > 1 ? `, ${frames} frames` : ""}).`, 413);
  }

  try {
    // autoOrient applies the EXIF rotation before the metadata is dropped (sharp keeps none by default)
    const { data: original, info } = await encode(input().autoOrient(), format).toBuffer({ resolveWithObject: true });
    const width = info.width;
    const height = info.pageHeight ?? info.height;
    const variants = [];
    for (const variantWidth of VARIANT_WIDTHS.filter((w) => w < width)) {
      const variant = await input().autoOrient().resize({ width: variantWidth }).webp({ quality: 78 }).toBuffer({ resolveWithObject: true });
      variants.push({ width: variant.info.width, height: variant.info.pageHeight ?? variant.info.height, bytes: variant.data });
    }
    return { format, width, height, original, variants };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unreadable();
  }
}

function encode(image: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case "jpeg":
      return image.jpeg({ quality: 85, mozjpeg: true });
    case "png":
      return image.png({ compressionLevel: 8 });
    case "webp":
      return image.webp({ quality: 82 });
    case "avif":
      return image.avif({ quality: 60, effort: 3 });
    case "gif":
      return image.gif();
  }
}
