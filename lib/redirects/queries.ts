import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, redirects } from "@/db/schema";
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
