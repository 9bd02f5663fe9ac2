import "server-only";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, articleTags, tags as tagTable } from "@/db/schema";
import { countPublicLinked, listPublishedPage } from "@/lib/articles/listing";
import type { ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import type { Listing } from "@/lib/pagination";

export type TagListing = { tag: { slug: string; name: string } } & Listing<ArticleSummary>;

/** A tag and one page of its articles; null for an unknown tag or a page past the end. Tag: tag. */
export const getTagListing = cachedQuery(
  "tag-listing",
  async (slug: string, page: number): Promise<TagListing | null> => {
    const db = await getDb();
    const [tag] = await db.select({ id: tagTable.id, slug: tagTable.slug, name: tagTable.name }).from(tagTable).where(eq(tagTable.slug, slug));
    if (!tag) return null;
    const tagged = db.select({ id: articleTags.articleId }).from(articleTags).where(eq(articleTags.tagId, tag.id));
    const listing = await listPublishedPage(inArray(articles.id, tagged), page, () => countPublicLinked(articleTags, articleTags.articleId, eq(articleTags.tagId, tag.id)));
    return listing && { tag: { slug: tag.slug, name: tag.name }, ...listing };
  },
  (slug) => [tags.tag(slug)],
);
