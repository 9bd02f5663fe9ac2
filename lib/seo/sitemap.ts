import "server-only";
import { and, asc, count, desc, eq, max } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articleAuthors, articles, articleTags, sections, tags as tagTable, users } from "@/db/schema";
import { isPublic } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { escapeHtml } from "@/lib/rich-text/html";
import { absoluteUrl } from "./site-url";

export const URLS_PER_SITEMAP = 50_000;
type Url = { path: string; lastmod: Date | null };

function urlset(urls: Url[]): string {
  // the paths are slugs under the site's root: the origin is resolved once, not once per URL (50,000 a file)
  const origin = absoluteUrl("/").replace(/\/$/, "");
  const entries = urls.map((u) => `<url><loc>${escapeHtml(origin + u.path)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ""}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join("\n")}\n</urlset>\n`;
}

async function listingUrls(): Promise<Url[]> {
  const db = await getDb();
  const [latest] = await db.select({ at: max(articles.updatedAt) }).from(articles).where(isPublic());
  const sectionRows = await db
    .select({ slug: sections.slug, at: max(articles.updatedAt) })
    .from(sections)
    .innerJoin(articles, and(eq(articles.sectionId, sections.id), isPublic()))
    .groupBy(sections.slug, sections.position)
    .orderBy(asc(sections.position));
  const tagRows = await db
    .select({ slug: tagTable.slug, at: max(articles.updatedAt) })
    .from(tagTable)
    .innerJoin(articleTags, eq(articleTags.tagId, tagTable.id))
    .innerJoin(articles, and(eq(articles.id, articleTags.articleId), isPublic()))
    .groupBy(tagTable.slug)
    .orderBy(asc(tagTable.slug));
  const authorRows = await db
    .select({ slug: users.slug, at: max(articles.updatedAt) })
    .from(users)
    .innerJoin(articleAuthors, eq(articleAuthors.userId, users.id))
    .innerJoin(articles, and(eq(articles.id, articleAuthors.articleId), isPublic()))
    .groupBy(users.slug)
    .orderBy(asc(users.slug));
  return [
    { path: "/", lastmod: latest?.at ?? null },
    ...sectionRows.map((r) => ({ path: `/section/${r.slug}`, lastmod: r.at })),
    ...tagRows.map((r) => ({ path: `/tag/${r.slug}`, lastmod: r.at })),
    ...authorRows.map((r) => ({ path: `/author/${r.slug}`, lastmod: r.at })),
  ];
}

async function articleUrls(offset: number, limit: number): Promise<Url[]> {
  const db = await getDb();
  const rows = await db
    .select({ slug: articles.slug, at: articles.updatedAt })
    .from(articles)
    .where(isPublic())
    .orderBy(desc(articles.publishedAt), asc(articles.id))
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({ path: `/article/${r.slug}`, lastmod: r.at }));
}

async function buildSitemap(file: number | null): Promise<string | null> {
  const db = await getDb();
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(articles).where(isPublic());
  if (file === null) {
    // the listings' dates read every published article's tags and bylines: only when they can fit
    const listings = n < URLS_PER_SITEMAP ? await listingUrls() : null;
    if (listings && n + listings.length <= URLS_PER_SITEMAP) return urlset([...listings, ...(await articleUrls(0, n))]);
    // past 50,000 URLs: an index of files, the first with listings, then articles in chunks
    const files = 1 + Math.ceil(n / URLS_PER_SITEMAP);
    const entries = Array.from({ length: files }, (_, i) => `<sitemap><loc>${escapeHtml(absoluteUrl(`/sitemaps/${i}.xml`))}</loc></sitemap>`);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join("\n")}\n</sitemapindex>\n`;
  }
  if (file === 0) return urlset(await listingUrls());
  const offset = (file - 1) * URLS_PER_SITEMAP;
  if (offset >= n) return null;
  return urlset(await articleUrls(offset, URLS_PER_SITEMAP));
}

/** /sitemap.xml (file null): every public URL, or an index past 50,000; /sitemaps/<n>.xml: one file of it. Tag: sitemap. */
export const getSitemap = cachedQuery("sitemap", buildSitemap, () => [tags.sitemap], "");

export function xmlResponse(xml: string): Response {
  return new Response(xml, { headers: { "Content-Type": "application/xml; charset=utf-8" } });
}

