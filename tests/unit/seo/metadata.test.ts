import { describe, expect, it } from "vitest";
import type { ArticleDetail } from "@/lib/articles/queries";
import { articleMetadata, pageMetadata } from "@/lib/seo/metadata";

const site = { name: "Top One Magazine", description: "News.", timeZone: "UTC", logo: null, socialImage: null };
const article: ArticleDetail = {
  id: "0b0e5c3e-8f5a-4c55-9d41-0c3d2a9e7f10",
  slug: "harbour-lights",
  title: "Harbour lights",
  dek: "A town relights its harbour.",
  publishedAt: "2026-11-20T10:00:00.000Z",
  updatedAt: "2026-11-21T08:30:00.000Z",
  section: { slug: "culture", name: "Culture" },
  authors: [{ name: "Zoë Achterberg", slug: "zoe-achterberg" }, { name: "Jonas Müller", slug: "jonas-muller" }],
  hero: null,
  sourceName: "Example Post",
  isFeatured: false,
  body: { type: "doc", content: [] },
  heroCaption: null,
  heroCredit: null,
  sourceUrl: "https://example.com/original",
  seoTitle: null,
  seoDescription: null,
  canonicalUrl: null,
  tags: [{ slug: "coast", name: "Coast" }],
  corrections: [],
  readingMinutes: 3,
  wordCount: 600,
};

describe("article metadata", () => {
  it("describes the article for search engines and social cards", () => {
    const meta = articleMetadata(article, site);
    expect(meta.title).toBe("Harbour lights");
    expect(meta.description).toBe("A town relights its harbour.");
    expect(meta.alternates?.canonical).toBe("/article/harbour-lights");
    expect(meta.openGraph).toMatchObject({
      type: "article",
      publishedTime: "2026-11-20T10:00:00.000Z",
      modifiedTime: "2026-11-21T08:30:00.000Z",
      section: "Culture",
      tags: ["Coast"],
    });
    expect((meta.openGraph as { authors: string[] }).authors).toEqual([
      "http://localhost:3000/author/zoe-achterberg",
      "http://localhost:3000/author/jonas-muller",
    ]);
    expect(meta.twitter).toMatchObject({ card: "summary_large_image" });
  });

  it("uses a generated social image when there is no hero, and the hero when there is one", () => {
    const generated = articleMetadata(article, site).openGraph as { images: { url: string }[] };
    expect(generated.images[0]!.url).toBe("http://localhost:3000/og/harbour-lights");
    const withHero = articleMetadata({ ...article, hero: { src: "/media/x.webp", srcSet: "", width: 1600, height: 900, alt: "Harbour" } }, site)
      .openGraph as { images: { url: string; alt: string }[] };
    expect(withHero.images[0]).toMatchObject({ url: "http://localhost:3000/media/x.webp", alt: "Harbour" });
  });

  it("lets SEO fields and a canonical URL override the defaults", () => {
    const meta = articleMetadata({ ...article, seoTitle: "Lights!", seoDescription: "Short.", canonicalUrl: "https://example.org/first" }, site);
    expect(meta).toMatchObject({ title: "Lights!", description: "Short.", alternates: { canonical: "https://example.org/first" } });
  });
});

describe("listing metadata", () => {
  it("falls back to the site description", () => {
    expect(pageMetadata(site, { title: "World", path: "/section/world" })).toMatchObject({
      title: "World",
      description: "News.",
      alternates: { canonical: "/section/world" },
      openGraph: { type: "website", url: "/section/world" },
    });
  });
});
