import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { Feed } from "feed";
import { getDb } from "@/db/client";
import { articles, articleTags, sections, tags as tagTable } from "@/db/schema";
import { isPublic, selectSummariesWithBylines, toSummary, type ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { escapeHtml, toHtml } from "@/lib/rich-text/html";
import { parseRichText } from "@/lib/rich-text/schema";
import { absoluteUrl, siteOrigin } from "@/lib/seo/site-url";
import { getSiteSettings, type SiteSettings } from "@/lib/settings";

// The latest published articles as feeds, site-wide and per section, in three formats: RSS 2.0 (what
// most readers subscribe to), Atom 1.0 and JSON Feed 1.1. One set of rows, three writers.

const FEED_SIZE = 30;

export type FeedFormat = "rss" | "atom" | "json";
/** Each format's file name (after `/` or `/section/<slug>/`) and content type. */
export const FEED_FORMATS: Record<FeedFormat, { file: string; contentType: string }> = {
  rss: { file: "feed.xml", contentType: "application/rss+xml" },
  atom: { file: "feed.atom", contentType: "application/atom+xml" },
  json: { file: "feed.json", contentType: "application/feed+json" },
};

/** A feed's address: the site's, or a section's. */
export function feedPath(format: FeedFormat, sectionSlug?: string | null): string {
  return `${sectionSlug ? `/section/${sectionSlug}` : ""}/${FEED_FORMATS[format].file}`;
}

/**
 * `feed` writes item titles, descriptions and content as CDATA, and its XML writer splits only the first "]]>" in each text: a second
 * one would end the CDATA early and let markup into the feed. Split every later one ourselves; the
 * writer handles the first, and readers see the text exactly as typed.
 */
export function protectCdata(text: string): string;
export function protectCdata(text: string | undefined): string | undefined;
export function protectCdata(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const [first, ...rest] = text.split("]]>");
  return rest.length <= 1 ? text : `${first}]]>${rest.join("]]]]><![CDATA[>")}`;
}

/** The article's section, then its tags: `scheme` tells them apart in Atom, where their slugs are the terms. */
type Category = { name: string; slug: string; scheme: "section" | "tag" };
type FeedItem = ArticleSummary & { url: string; html: string; categories: Category[] };
type FeedData = { site: SiteSettings; section: { name: string; slug: string } | undefined; items: FeedItem[] };

async function loadFeed(sectionSlug: string | null): Promise<FeedData | null> {
  const db = await getDb();
  let section: { id: string; name: string; slug: string } | undefined;
  if (sectionSlug) {
    [section] = await db.select({ id: sections.id, name: sections.name, slug: sections.slug }).from(sections).where(eq(sections.slug, sectionSlug));
    if (!section) return null;
  }
  const site = await getSiteSettings();
  const rows = await selectSummariesWithBylines(db)
    .where(section ? and(isPublic(), eq(articles.sectionId, section.id)) : isPublic())
    .orderBy(desc(articles.publishedAt))
    .limit(FEED_SIZE);
  const summaries = rows.map((row) => toSummary(row, row.authors));
  const ids = summaries.map((item) => item.id);
  const [bodies, tagRows] = ids.length
    ? await Promise.all([
        db.select({ id: articles.id, body: articles.body }).from(articles).where(inArray(articles.id, ids)),
        db.select({ articleId: articleTags.articleId, name: tagTable.name, slug: tagTable.slug }).from(articleTags).innerJoin(tagTable, eq(tagTable.id, articleTags.tagId)).where(inArray(articleTags.articleId, ids)),
      ])
    : [[], []];
  const bodyById = new Map(bodies.map((b) => [b.id, b.body]));
  const origin = siteOrigin();
  const items = summaries.map((summary) => {
    const body = parseRichText(bodyById.get(summary.id));
    return {
      ...summary,
      url: absoluteUrl(`/article/${summary.slug}`),
      // never empty: RSS's content module is what declares the dc: namespace its bylines use
      html: body.ok ? toHtml(body.doc.content, origin) : "<p></p>",
      categories: [
        ...(summary.section ? [{ ...summary.section, scheme: "section" as const }] : []),
        ...tagRows.filter((t) => t.articleId === summary.id).map((t) => ({ name: t.name, slug: t.slug, scheme: "tag" as const })),
      ],
    };
  });
  return { site, section: section && { name: section.name, slug: section.slug }, items };
}

/** RSS and Atom through `feed`; `feedPath` is the self link. */
function xmlFeed(format: "rss" | "atom", { site, section, items }: FeedData): string {
  const home = absoluteUrl(section ? `/section/${section.slug}` : "/");
  const feed = new Feed({
    title: section ? `${section.name} · ${site.name}` : site.name,
    description: site.description,
    id: home,
    link: home,
    language: "en",
    updated: items[0] ? new Date(items[0].updatedAt) : new Date(0),
    generator: site.name,
    copyright: `© ${site.name}`,
    feedLinks: { [format]: absoluteUrl(feedPath(format, section?.slug)) },
    ...(site.logo ? { image: absoluteUrl(site.logo.src) } : {}),
  });
  // Atom's title and summary are typed "html": plain text is escaped so it reads exactly as typed
  const text = (value: string) => (format === "atom" ? escapeHtml(value) : protectCdata(value));
  for (const item of items) {
    feed.addItem({
      title: text(item.title),
      id: item.url,
      link: item.url,
      description: item.dek ? text(item.dek) : undefined,
      content: protectCdata(item.html),
      date: new Date(format === "atom" ? item.updatedAt : item.publishedAt),
      published: new Date(item.publishedAt),
      // RSS 2.0's <author> must be an email address: there a byline's names go in Dublin Core's creator, one each
      ...(format === "atom"
        ? { author: item.authors.map((a) => ({ name: a.name, link: absoluteUrl(`/author/${a.slug}`) })) }
        : { extensions: item.authors.length > 0 ? [{ name: "dc:creator", objects: item.authors.map((a) => ({ _text: a.name })) as unknown as Record<string, unknown> }] : [] }),
      category: item.categories.map((category) => (format === "rss" ? { name: category.name } : atomCategory(category))),
      ...(item.hero ? { image: absoluteUrl(item.hero.src) } : {}),
    });
  }
  return format === "atom" ? feed.atom1() : feed.rss2();
}

/**
 * Atom's category is all attributes, which feed 6 escapes for "&" only (its XML writer adds '"'): a
 * name holding "<" would break the XML, so such a name goes without its label. The term, a slug,
 * is always safe.
 */
function atomCategory({ name, slug, scheme }: Category) {
  return { term: slug, scheme: absoluteUrl(`/${scheme}/`), ...(name.includes("<") ? {} : { name }) };
}

/** JSON Feed 1.1, written directly: `feed` writes version 1, which has room for one author only. */
function jsonFeed({ site, section, items }: FeedData): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: section ? `${section.name} · ${site.name}` : site.name,
    home_page_url: absoluteUrl(section ? `/section/${section.slug}` : "/"),
    feed_url: absoluteUrl(feedPath("json", section?.slug)),
    description: site.description,
    language: "en",
    ...(site.logo ? { icon: absoluteUrl(site.logo.src) } : {}),
    items: items.map((item) => ({
      id: item.url,
      url: item.url,
      title: item.title,
      ...(item.dek ? { summary: item.dek } : {}),
      content_html: item.html,
      ...(item.hero ? { image: absoluteUrl(item.hero.src) } : {}),
      date_published: new Date(item.publishedAt).toISOString(),
      date_modified: new Date(item.updatedAt).toISOString(),
      authors: item.authors.map((a) => ({ name: a.name, url: absoluteUrl(`/author/${a.slug}`) })),
      tags: item.categories.map((category) => category.name),
    })),
  });
}

async function buildFeed(format: FeedFormat, sectionSlug: string | null): Promise<string | null> {
  const data = await loadFeed(sectionSlug);
  if (!data) return null;
  return format === "json" ? jsonFeed(data) : xmlFeed(format, data);
}

/** The latest published articles, site-wide or for one section (null: unknown section). Tags: feed, and the section's. */
export const getFeed = cachedQuery("feed", buildFeed, (_format, sectionSlug) => [tags.feed, ...(sectionSlug ? [tags.section(sectionSlug)] : [])], "");

export function feedResponse(format: FeedFormat, body: string): Response {
  return new Response(body, { headers: { "Content-Type": `${FEED_FORMATS[format].contentType}; charset=utf-8` } });
}
