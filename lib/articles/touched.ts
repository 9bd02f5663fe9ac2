import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { articleAuthors, articles, articleTags, sections, tags as tagTable, users } from "@/db/schema";
import { tags } from "@/lib/cache/tags";

/** Every cache tag a change to these articles' public state can affect: pages, listings, feeds, sitemap, search. */
export async function publicTagsForArticles(db: Db, articleIds: string[]): Promise<string[]> {
  if (articleIds.length === 0) return [];
  // one after another: callers pass their transaction, whose one connection node-postgres will not
  // share between overlapping queries (deprecated now, an error from pg 9)
  const rows = await db.select({ slug: articles.slug, section: sections.slug }).from(articles).leftJoin(sections, eq(sections.id, articles.sectionId)).where(inArray(articles.id, articleIds));
  const tagRows = await db.select({ slug: tagTable.slug }).from(articleTags).innerJoin(tagTable, eq(tagTable.id, articleTags.tagId)).where(inArray(articleTags.articleId, articleIds));
  const authorRows = await db.select({ slug: users.slug }).from(articleAuthors).innerJoin(users, eq(users.id, articleAuthors.userId)).where(inArray(articleAuthors.articleId, articleIds));
  return [
    ...new Set([
      tags.frontPage,
      tags.feed,
      tags.sitemap,
      tags.search,
      ...rows.flatMap((r) => [tags.article(r.slug), ...(r.section ? [tags.section(r.section)] : [])]),
      ...tagRows.map((t) => tags.tag(t.slug)),
      ...authorRows.map((a) => tags.author(a.slug)),
    ]),
  ];
}
