import type { ArticleDetail } from "@/lib/articles/queries";
import type { SiteSettings } from "@/lib/settings";
import { absoluteUrl } from "./site-url";

/** JSON for a <script type="application/ld+json">, with "<" escaped so stored text can never close the tag. */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function articleJsonLd(article: ArticleDetail, site: SiteSettings) {
  const url = absoluteUrl(`/article/${article.slug}`);
  return [
    {
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: article.title,
      description: article.dek ?? undefined,
      mainEntityOfPage: url,
      url,
      image: article.hero ? [absoluteUrl(article.hero.src)] : [absoluteUrl(`/og/${article.slug}`)],
      datePublished: article.publishedAt,
      dateModified: article.updatedAt,
      articleSection: article.section?.name,
      keywords: article.tags.map((t) => t.name),
      wordCount: article.wordCount,
      author: article.authors.map((a) => ({ "@type": "Person", name: a.name, url: absoluteUrl(`/author/${a.slug}`) })),
      publisher: { "@type": "Organization", name: site.name, logo: publisherLogo(site) },
      ...(article.sourceUrl ? { isBasedOn: { "@type": "CreativeWork", url: article.sourceUrl, ...(article.sourceName ? { publisher: { "@type": "Organization", name: article.sourceName } } : {}) } } : {}),
      ...(article.corrections.length
        ? { correction: article.corrections.map((c) => ({ "@type": "CorrectionComment", text: c.note, datePublished: c.createdAt })) }
        : {}),
    },
    {
      "@context": "https://schema.org",
      "@type": "BreadcrumbList",
      itemListElement: [
        { "@type": "ListItem", position: 1, name: site.name, item: absoluteUrl("/") },
        ...(article.section ? [{ "@type": "ListItem", position: 2, name: article.section.name, item: absoluteUrl(`/section/${article.section.slug}`) }] : []),
        { "@type": "ListItem", position: article.section ? 3 : 2, name: article.title, item: url },
      ],
    },
  ];
}

function publisherLogo(site: SiteSettings) {
  return site.logo
    ? { "@type": "ImageObject", url: absoluteUrl(site.logo.src), width: site.logo.width, height: site.logo.height }
    : { "@type": "ImageObject", url: absoluteUrl("/icon.svg") };
}
