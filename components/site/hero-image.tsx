import { getImageProps } from "next/image";
import type { ImageView } from "@/lib/media/urls";

/**
 * The article's hero: the LCP element, so fetched eagerly and first. next/image's getImageProps
 * gives the responsive srcset (resized by the image optimizer) on a plain <img>, so readers download
 * no image-component JavaScript.
 */
export function HeroImage({ image }: { image: ImageView }) {
  const { props } = getImageProps({
    src: image.src,
    alt: image.alt,
    width: image.width,
    height: image.height,
    sizes: "(min-width: 768px) 68ch, 100vw",
    loading: "eager",
    fetchPriority: "high",
  });
  // eslint-disable-next-line jsx-a11y/alt-text -- alt comes from props
  return <img {...props} className="h-auto w-full rounded-sm" />;
}
