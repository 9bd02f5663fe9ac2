import "server-only";
import { and, eq, notExists } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, redirects, sections, tags as tagTable, taxonomyRedirects } from "@/db/schema";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { isPublic } from "@/lib/articles/summaries";

/**
 * The current slug of the published article that used to live at /article/<oldSlug>, or null.
 * Tag: the old slug's article tag, which a slug change expires.
 */
export const getArticleRedirect = cachedQuery(
  "article-redirect",
  async (oldSlug: string): Promise<string | null> => {
    const db = await getDb();
    const [row] = await db
      .select({ slug: articles.slug })
      .from(redirects)
      .innerJoin(articles, eq(articles.id, redirects.articleId))
      .where(and(eq(redirects.fromPath, `/article/${oldSlug}`), isPublic()))
      .limit(1);
    return row?.slug ?? null;
  },
  (oldSlug) => [tags.article(oldSlug)],
);

// A live section or tag always wins over an old address (the article editor can create a tag at a
// slug a merged tag once had), so a listing page past its end never redirects elsewhere.

/**
 * The current slug of the section that used to live at /section/<oldSlug>, or null.
 * Tag: the old slug's section tag, which every change to that section's address expires.
 */
export const getSectionRedirect = cachedQuery(
  "section-redirect",
  async (oldSlug: string): Promise<string | null> => {
    const db = await getDb();
    const [row] = await db
      .select({ slug: sections.slug })
      .from(taxonomyRedirects)
      .innerJoin(sections, eq(sections.id, taxonomyRedirects.sectionId))
      .where(
        and(
          eq(taxonomyRedirects.kind, "section"),
          eq(taxonomyRedirects.fromSlug, oldSlug),
          notExists(db.select({ id: sections.id }).from(sections).where(eq(sections.slug, oldSlug))),
        ),
      )
      .limit(1);
    return row?.slug ?? null;
  },
  (oldSlug) => [tags.section(oldSlug)],
);

/**
 * The current slug of the tag that used to live at /tag/<oldSlug> (renamed, or merged into it), or
 * null. Tag: the old slug's tag tag, which every change to that tag's address expires.
 */
export const getTagRedirect = cachedQuery(
  "tag-redirect",
  async (oldSlug: string): Promise<string | null> => {
    const db = await getDb();
    const [row] = await db
      .select({ slug: tagTable.slug })
      .from(taxonomyRedirects)
      .innerJoin(tagTable, eq(tagTable.id, taxonomyRedirects.tagId))
      .where(
        and(
          eq(taxonomyRedirects.kind, "tag"),
          eq(taxonomyRedirects.fromSlug, oldSlug),
          notExists(db.select({ id: tagTable.id }).from(tagTable).where(eq(tagTable.slug, oldSlug))),
        ),
      )
      .limit(1);
    return row?.slug ?? null;
  },
  (oldSlug) => [tags.tag(oldSlug)],
);
