import sharp from "sharp";

const WIDTH = 1600;
const HEIGHT = 900;
export const HERO_VARIANT_WIDTHS = [480, 960] as const;

/** An abstract landscape in the given hue, drawn locally so demo articles have real images without downloads. */
export function heroSvg(hue: number, seed: number): string {
  const h2 = (hue + 40) % 360;
  const h3 = (hue + 200) % 360;
  const circles = Array.from({ length: 6 }, (_, i) => {
    const x = (seed * 97 + i * 263) % WIDTH;
    const y = (seed * 53 + i * 151) % HEIGHT;
    const r = 60 + ((seed + i * 37) % 180);
    return `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${(hue + i * 25) % 360} 70% ${55 + (i % 3) * 10}%)" fill-opacity="0.35"/>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue} 65% 28%)"/><stop offset="1" stop-color="hsl(${h2} 70% 55%)"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>${circles}
  <path d="M0 ${HEIGHT * 0.72} Q ${WIDTH * 0.3} ${HEIGHT * 0.55} ${WIDTH * 0.55} ${HEIGHT * 0.7} T ${WIDTH} ${HEIGHT * 0.62} V ${HEIGHT} H 0 Z" fill="hsl(${h3} 35% 18%)" fill-opacity="0.8"/>
</svg>`;
}

export async function renderHero(hue: number, seed: number) {
  const base = sharp(Buffer.from(heroSvg(hue, seed)));
  const original = await base.clone().webp({ quality: 78 }).toBuffer();
  const variants = await Promise.all(
    HERO_VARIANT_WIDTHS.map(async (width) => ({
      width,
      height: Math.round((HEIGHT * width) / WIDTH),
      bytes: await base.clone().resize({ width }).webp({ quality: 75 }).toBuffer(),
    })),
  );
  return { original, width: WIDTH, height: HEIGHT, variants };
}
