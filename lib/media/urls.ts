import type { MediaVariant } from "@/db/schema";

export type ImageView = { src: string; srcSet: string; width: number; height: number; alt: string };

export function mediaPath(storageKey: string): string {
  return `/media/${storageKey}`;
}

/** The original as src, every variant in srcset (narrowest first). */
export function imageView(media: { storageKey: string; width: number; height: number; variants: MediaVariant[] }, alt: string): ImageView {
  const candidates = [...media.variants, { key: media.storageKey, width: media.width }].sort((a, b) => a.width - b.width);
  return {
    src: mediaPath(media.storageKey),
    srcSet: candidates.map((c) => `${mediaPath(c.key)} ${c.width}w`).join(", "),
    width: media.width,
    height: media.height,
    alt,
  };
}
