import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { Feed } from "feed";
import { getDb } from "@/db/client";
import { articles, articleTags, sections, tags as tagTable } from "@/db/schema";
import { isPublic, selectSummariesWithBylines, toSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { toHtml } from "@/lib/rich-text/html";
import { parseRichText } from "@/lib/rich-text/schema";
import { absoluteUrl, siteOrigin } from "@/lib/seo/site-url";
import { getSiteSettings } from "@/lib/settings";

const FEED_SIZE = 30;

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

async function buildFeed(sectionSlug: string | null): Promise<string | null> {
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
  const items = rows.map((row) => toSummary(row, row.authors));
  const ids = items.map((item) => item.id);
  const [bodies, tagRows] = ids.length
    ? await Promise.all([
        db.select({ id: articles.id, body: articles.body }).from(articles).where(inArray(articles.id, ids)),
        db.select({ articleId: articleTags.articleId, name: tagTable.name }).from(articleTags).innerJoin(tagTable, eq(tagTable.id, articleTags.tagId)).where(inArray(articleTags.articleId, ids)),
      ])
    : [[], []];
  const bodyById = new Map(bodies.map((b) => [b.id, b.body]));
  const origin = siteOrigin();
  const selfPath = section ? `/section/${section.slug}/feed.xml` : "/feed.xml";
  const feed = new Feed({
    title: section ? `${section.name} · ${site.name}` : site.name,
    description: site.description,
    id: absoluteUrl(section ? `/section/${section.slug}` : "/"),
    link: absoluteUrl(section ? `/section/${section.slug}` : "/"),
    language: "en",
    updated: items[0] ? new Date(items[0].updatedAt) : new Date(0),
    generator: site.name,
    copyright: `© ${site.name}`,
    feedLinks: { rss: absoluteUrl(selfPath) },
    ...(site.logo ? { image: absoluteUrl(site.logo.src) } : {}),
  });
  for (const item of items) {
    const url = absoluteUrl(`/article/${item.slug}`);
    const body = parseRichText(bodyById.get(item.id));
    feed.addItem({
      title: protectCdata(item.title),
      id: url,
      link: url,
      description: protectCdata(item.dek ?? undefined),
      // never empty: the content module's presence is what declares the dc: namespace used below
      content: body.ok ? protectCdata(toHtml(body.doc.content, origin)) : "<p></p>",
      date: new Date(item.publishedAt),
      published: new Date(item.publishedAt),
      // RSS 2.0's <author> must be an email address; a byline's names go in Dublin Core's creator, one each
      extensions: item.authors.length > 0 ? [{ name: "dc:creator", objects: item.authors.map((a) => ({ _text: a.name })) as unknown as Record<string, unknown> }] : [],
      category: [
        ...(item.section ? [{ name: item.section.name }] : []),
        ...tagRows.filter((t) => t.articleId === item.id).map((t) => ({ name: t.name })),
      ],
      ...(item.hero ? { image: absoluteUrl(item.hero.src) } : {}),
    });
  }
  return feed.rss2();
}

/** RSS 2.0 of the latest published articles, site-wide or for one section (null: unknown section). Tag: feed. */
export const getRssFeed = cachedQuery("rss", buildFeed, (sectionSlug) => [tags.feed, ...(sectionSlug ? [tags.section(sectionSlug)] : [])], "");

export function rssResponse(xml: string): Response {
  return new Response(xml, { headers: { "Content-Type": "application/rss+xml; charset=utf-8" } });
}
