import fs from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { sniffImageFormat, VARIANT_WIDTHS } from "@/lib/media/image";
import { uploadMedia } from "@/lib/media/library";
import { getMediaStorage } from "@/lib/media/storage";
import { failure, makeStaff } from "../../fixtures/builders";
import { bytesContain, listFiles, mediaRow, storedPath, useTempMediaStorage } from "./helpers";

// Realistic uploads through the real sharp: a camera photo (EXIF with GPS, rotated by its
// orientation tag) and an animated GIF.

const mediaDir = useTempMediaStorage();
let writer: Awaited<ReturnType<typeof makeStaff>>;

beforeAll(async () => {
  writer = await makeStaff("writer", "Photo Writer");
});

const read = (key: string) => new Uint8Array(fs.readFileSync(storedPath(mediaDir(), key)));

/** Whether an EXIF block holds a tag (either byte order), e.g. 0x8825, the GPS IFD pointer. */
const hasTag = (exif: Buffer, tag: number) => exif.includes(Buffer.from([tag & 0xff, tag >> 8])) || exif.includes(Buffer.from([tag >> 8, tag & 0xff]));

/** The mean red and blue of a region (sharp's stats() ignores extract, so read the pixels). */
async function meanColour(bytes: Uint8Array, region: { left: number; top: number; width: number; height: number }) {
  const { data, info } = await sharp(bytes).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  let blue = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    red += data[i]!;
    blue += data[i + 2]!;
  }
  const pixels = data.length / info.channels;
  return { red: red / pixels, blue: blue / pixels };
}

/** A 3000×2000 camera JPEG that says "rotate 90° clockwise" (orientation 6) and where it was taken. */
async function cameraPhoto(): Promise<Uint8Array> {
  const width = 3000;
  const height = 2000;
  // left half red, right half blue: after rotation by 90° clockwise, red is on top
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x < width / 2) raw[i] = 220;
      else raw[i + 2] = 220;
    }
  }
  return new Uint8Array(
    await sharp(raw, { raw: { width, height, channels: 3 } })
      .withMetadata({
        orientation: 6,
        exif: {
          IFD0: { Make: "HARNESS-CAM", Model: "HARNESS-MODEL", Artist: "HARNESS-ARTIST Jane Private" },
          IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2964/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 17/1 4020/100" },
        },
      })
      .jpeg({ quality: 80 })
      .toBuffer(),
  );
}

describe("a camera photo", () => {
  it("is stored rotated upright, without EXIF or GPS, with webp variants at 480, 960 and 1600 px", async () => {
    const photo = await cameraPhoto();
    // the input really carries what must be removed
    const input = await sharp(photo).metadata();
    expect(input).toMatchObject({ width: 3000, height: 2000, orientation: 6 });
    expect(input.exif && bytesContain(input.exif, "HARNESS-CAM")).toBe(true);
    expect(input.exif && hasTag(input.exif, 0x8825)).toBe(true);

    const stored = await uploadMedia(writer, { bytes: photo, filename: "IMG_0042.JPG", alt: "A red and blue test card" });
    expect(stored).toMatchObject({ width: 2000, height: 3000, mimeType: "image/jpeg", filename: "IMG_0042.JPG", alt: "A red and blue test card" });

    const row = (await mediaRow(stored.id))!;
    expect(row).toMatchObject({ width: 2000, height: 3000, mimeType: "image/jpeg", storageKey: `${stored.id}.jpg`, uploadedBy: writer.id });
    const original = read(row.storageKey);
    expect(sniffImageFormat(original)).toBe("jpeg");
    const meta = await sharp(original).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 2000, height: 3000 });
    expect(bytesContain(original, "HARNESS-")).toBe(false);
    // the rotation was applied to the pixels: red (the photo's left) is now on top
    const top = await meanColour(original, { left: 900, top: 100, width: 200, height: 200 });
    const bottom = await meanColour(original, { left: 900, top: 2700, width: 200, height: 200 });
    expect(top.red).toBeGreaterThan(180);
    expect(top.blue).toBeLessThan(40);
    expect(bottom.blue).toBeGreaterThan(180);
    expect(bottom.red).toBeLessThan(40);

    expect(row.variants.map((v) => v.width)).toEqual([...VARIANT_WIDTHS]);
    for (const variant of row.variants) {
      expect(variant).toMatchObject({ key: `${stored.id}-${variant.width}.webp`, mimeType: "image/webp", height: variant.width * 1.5 });
      const bytes = read(variant.key);
      expect(variant.bytes).toBe(bytes.byteLength);
      expect(sniffImageFormat(bytes)).toBe("webp");
      const variantMeta = await sharp(bytes).metadata();
      expect(variantMeta).toMatchObject({ format: "webp", width: variant.width, height: variant.width * 1.5 });
      expect(variantMeta.exif).toBeUndefined();
      expect(bytesContain(bytes, "HARNESS-")).toBe(false);
      expect(await getMediaStorage().get(variant.key)).not.toBeNull();
    }
    expect(listFiles(mediaDir()).filter((file) => file.includes(stored.id))).toHaveLength(1 + VARIANT_WIDTHS.length);
  });

  it("gets only the variants narrower than itself", async () => {
    const small = await sharp({ create: { width: 1000, height: 500, channels: 3, background: "#336699" } }).png().toBuffer();
    const stored = await uploadMedia(writer, { bytes: new Uint8Array(small), filename: "banner.png" });
    const row = (await mediaRow(stored.id))!;
    expect(row.variants.map((v) => v.width)).toEqual([480, 960]);
    const tiny = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#336699" } }).png().toBuffer();
    const tinyRow = (await mediaRow((await uploadMedia(writer, { bytes: new Uint8Array(tiny), filename: "icon.png" })).id))!;
    expect(tinyRow.variants).toEqual([]);
  });
});

describe("an animated GIF", () => {
  it("is accepted and stays animated, in the original and in its variants", async () => {
    const width = 600;
    const height = 400;
    const frame = (rgb: [number, number, number]) => {
      const raw = Buffer.alloc(width * height * 4);
      for (let i = 0; i < width * height; i++) raw.set([...rgb, 255], i * 4);
      return raw;
    };
    const gif = await sharp(Buffer.concat([frame([255, 0, 0]), frame([0, 0, 255])]), { raw: { width, height: height * 2, channels: 4, pageHeight: height } })
      .gif({ loop: 0, delay: [200, 200] })
      .toBuffer();
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(2);

    const stored = await uploadMedia(writer, { bytes: new Uint8Array(gif), filename: "blink.gif" });
    expect(stored).toMatchObject({ mimeType: "image/gif", width, height });
    const row = (await mediaRow(stored.id))!;
    expect(row.storageKey).toBe(`${stored.id}.gif`);
    const original = read(row.storageKey);
    expect(sniffImageFormat(original)).toBe("gif");
    const meta = await sharp(original, { animated: true }).metadata();
    expect(meta).toMatchObject({ format: "gif", pages: 2, width, pageHeight: height });

    expect(row.variants.map((v) => v.width)).toEqual([480]);
    const variantMeta = await sharp(read(row.variants[0]!.key), { animated: true }).metadata();
    expect(variantMeta).toMatchObject({ format: "webp", pages: 2, width: 480, pageHeight: 320 });
    expect(row.variants[0]!.height).toBe(320);
  });

  it("is accepted when its frames together pass 50 megapixels, each frame within it (sharp counts them stacked)", { timeout: 60_000 }, async () => {
    const width = 1600;
    const height = 1000;
    const frames = 32; // 51.2 megapixels in all
    const raw = Buffer.alloc(width * height * 4 * frames);
    for (let f = 0; f < frames; f++) {
      const color = f % 2 ? [255, 0, 0, 255] : [0, 0, 255, 255];
      for (let i = 0; i < width * height; i++) raw.set(color, (f * width * height + i) * 4);
    }
    const gif = await sharp(raw, { raw: { width, height: height * frames, channels: 4, pageHeight: height }, limitInputPixels: false }).gif({ delay: Array(frames).fill(100) }).toBuffer();
    const stored = await uploadMedia(writer, { bytes: new Uint8Array(gif), filename: "long-loop.gif" });
    expect(stored).toMatchObject({ mimeType: "image/gif", width, height });
    expect((await sharp(read((await mediaRow(stored.id))!.storageKey), { animated: true, limitInputPixels: false }).metadata()).pages).toBe(frames);
  });

  it("is refused with 413 past 300 frames, writing nothing", async () => {
    const frames = 301;
    // every frame a different black-and-white pattern (its number in binary), so none can be merged
    const raw = Buffer.alloc(4 * 4 * 4 * frames);
    for (let f = 0; f < frames; f++) for (let p = 0; p < 16; p++) raw.set((f >> p) & 1 ? [255, 255, 255, 255] : [0, 0, 0, 255], (f * 16 + p) * 4);
    const gif = await sharp(raw, { raw: { width: 4, height: 4 * frames, channels: 4, pageHeight: 4 } }).gif({ delay: Array(frames).fill(50), dither: 0 }).toBuffer();
    expect((await sharp(gif, { animated: true }).metadata()).pages).toBe(frames);
    const files = listFiles(mediaDir());
    const error = await failure(uploadMedia(writer, { bytes: new Uint8Array(gif), filename: "flipbook.gif" }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error.status).toBe(413);
    expect(error.message).toContain("301 frames");
    expect(listFiles(mediaDir())).toEqual(files);
  });
});
