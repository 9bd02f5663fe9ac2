import type { Metadata } from "next";
import type { ArticleDetail } from "@/lib/articles/queries";
import { FEED_FORMATS, feedPath, type FeedFormat } from "@/lib/feeds/feeds";
import type { SiteSettings } from "@/lib/settings";
import { absoluteUrl, siteOrigin } from "./site-url";

/**
 * The feeds a page links in its head, in each format. Next replaces `alternates` whole, so every page
 * that sets a canonical names the site's feeds again (and a section page its own feeds first).
 */
export function feedLinks(site: SiteSettings, section?: { name: string; slug: string }): NonNullable<Metadata["alternates"]>["types"] {
  const formats = Object.entries(FEED_FORMATS) as [FeedFormat, (typeof FEED_FORMATS)[FeedFormat]][];
  return Object.fromEntries(
    formats.map(([format, { contentType }]) => [
      contentType,
      [...(section ? [{ url: feedPath(format, section.slug), title: `${site.name}: ${section.name}` }] : []), { url: feedPath(format), title: site.name }],
    ]),
  );
}

export function articleMetadata(article: ArticleDetail, site: SiteSettings): Metadata {
  const path = `/article/${article.slug}`;
  const description = article.seoDescription ?? article.dek ?? undefined;
  const image = article.hero
    ? { url: absoluteUrl(article.hero.src), width: article.hero.width, height: article.hero.height, alt: article.hero.alt }
    : { url: absoluteUrl(`/og/${article.slug}`), width: 1200, height: 630, alt: article.title };
  return {
    metadataBase: new URL(siteOrigin()),
    title: article.seoTitle ?? article.title,
    description,
    alternates: { canonical: article.canonicalUrl ?? path, types: feedLinks(site) },
    authors: article.authors.map((a) => ({ name: a.name, url: `/author/${a.slug}` })),
    openGraph: {
      type: "article",
      url: path,
      siteName: site.name,
      title: article.seoTitle ?? article.title,
      description,
      publishedTime: article.publishedAt,
      modifiedTime: article.updatedAt,
      section: article.section?.name,
      tags: article.tags.map((t) => t.name),
      authors: article.authors.map((a) => absoluteUrl(`/author/${a.slug}`)),
      images: [image],
    },
    twitter: { card: "summary_large_image", title: article.seoTitle ?? article.title, description, images: [image.url] },
  };
}

/** Metadata for listings and other reader pages: title, description, canonical and Open Graph (with the site's social image). */
export function pageMetadata(site: SiteSettings, { title, description, path, section }: { title: string | { absolute: string }; description?: string | null; path: string; section?: { name: string; slug: string } }): Metadata {
  const plainTitle = typeof title === "string" ? title : title.absolute;
  const image = site.socialImage ? { url: absoluteUrl(site.socialImage.src), width: site.socialImage.width, height: site.socialImage.height, alt: site.socialImage.alt } : null;
  return {
    metadataBase: new URL(siteOrigin()),
    title,
    description: description ?? site.description,
    alternates: { canonical: path, types: feedLinks(site, section) },
    openGraph: { type: "website", url: path, siteName: site.name, title: plainTitle, description: description ?? site.description, ...(image ? { images: [image] } : {}) },
    twitter: image
      ? { card: "summary_large_image", title: plainTitle, description: description ?? site.description, images: [image.url] }
      : { card: "summary", title: plainTitle, description: description ?? site.description },
  };
}
