import "server-only";
import { and, asc, count, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, articleTags, corrections, sections, tags } from "@/db/schema";
import { cachedQuery } from "@/lib/cache/cached";
import { tags as cacheTags } from "@/lib/cache/tags";
import { parseRichText, type RichTextDoc } from "@/lib/rich-text/schema";
import { readingMinutes } from "@/lib/rich-text/plain-text";
import { isPublic, selectSummaries, withBylines, type ArticleSummary } from "./summaries";

export type { ArticleSummary, AuthorByline } from "./summaries";

export type ArticleDetail = ArticleSummary & {
  body: RichTextDoc;
  heroCaption: string | null;
  heroCredit: string | null;
  sourceUrl: string | null;
  seoTitle: string | null;
  seoDescription: string | null;
  canonicalUrl: string | null;
  tags: { slug: string; name: string }[];
  corrections: { note: string; createdAt: string }[];
  readingMinutes: number;
  wordCount: number;
};

async function loadPublishedArticle(slug: string): Promise<ArticleDetail | null> {
  return loadArticleDetail(and(eq(articles.slug, slug), isPublic())!);
}

/** Any article, whatever its status, as readers would see it: for previews only (see lib/articles/preview). */
export async function loadArticleDetail(where: SQL): Promise<ArticleDetail | null> {
  const db = await getDb();
  const [row] = await selectSummaries(db).where(where).limit(1);
  if (!row) return null;
  const [extra] = await db
    .select({
      body: articles.body,
      bodyText: articles.bodyText,
      heroCaption: articles.heroCaption,
      heroCredit: articles.heroCredit,
      sourceUrl: articles.sourceUrl,
      seoTitle: articles.seoTitle,
      seoDescription: articles.seoDescription,
      canonicalUrl: articles.canonicalUrl,
    })
    .from(articles)
    .where(eq(articles.id, row.id));
  const [[summary], tagRows, correctionRows] = await Promise.all([
    withBylines([row]),
    db
      .select({ slug: tags.slug, name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, row.id))
      .orderBy(asc(tags.name)),
    db
      .select({ note: corrections.note, createdAt: corrections.createdAt })
      .from(corrections)
      .where(eq(corrections.articleId, row.id))
      .orderBy(asc(corrections.createdAt)),
  ]);
  const body = parseRichText(extra!.body);
  const words = extra!.bodyText.split(/\s+/).filter(Boolean).length;
  return {
    ...summary!,
    // stored bodies were validated on write; re-checking on read means a bad row renders empty, never raw
    body: body.ok ? body.doc : { type: "doc", content: [] },
    heroCaption: extra!.heroCaption,
    heroCredit: extra!.heroCredit,
    sourceUrl: extra!.sourceUrl,
    seoTitle: extra!.seoTitle,
    seoDescription: extra!.seoDescription,
    canonicalUrl: extra!.canonicalUrl,
    tags: tagRows,
    corrections: correctionRows.map((c) => ({ note: c.note, createdAt: c.createdAt.toISOString() })),
    readingMinutes: readingMinutes(extra!.bodyText),
    wordCount: words,
  };
}

/** One published article by its current slug, or null (drafts, scheduled and unknown slugs alike). Tag: article. */
export const getPublishedArticle = cachedQuery("article", loadPublishedArticle, (slug) => [cacheTags.article(slug)]);

async function loadLatest(limit: number, offset: number): Promise<ArticleSummary[]> {
  const db = await getDb();
  return withBylines(await selectSummaries(db).where(isPublic()).orderBy(desc(articles.publishedAt)).limit(limit).offset(offset));
}

/** Published articles, newest first. Tag: front page (every publish touches it). */
export const listLatestArticles = cachedQuery(
  "latest",
  (options: { limit?: number; offset?: number }) => loadLatest(options.limit ?? 20, options.offset ?? 0),
  () => [cacheTags.frontPage],
);

export type FrontPage = {
  lead: ArticleSummary | null;
  top: ArticleSummary[];
  latest: ArticleSummary[];
  sections: { slug: string; name: string; articles: ArticleSummary[] }[];
};

async function loadFrontPage(): Promise<FrontPage> {
  const db = await getDb();
  const recent = await loadLatest(40, 0);
  const [featured] = await selectSummaries(db).where(and(isPublic(), eq(articles.isFeatured, true))).orderBy(desc(articles.publishedAt)).limit(1);
  const lead = featured ? (await withBylines([featured]))[0]! : (recent[0] ?? null);
  const rest = recent.filter((a) => a.id !== lead?.id);
  const top = rest.slice(0, 4);
  const latest = rest.slice(4, 14);
  const sectionRows = await db.select({ id: sections.id, slug: sections.slug, name: sections.name }).from(sections).orderBy(asc(sections.position), asc(sections.name));
  const blocks = await Promise.all(
    sectionRows.map(async (section) => {
      const rows = await selectSummaries(db)
        .where(and(isPublic(), eq(articles.sectionId, section.id)))
        .orderBy(desc(articles.publishedAt))
        .limit(4);
      return { slug: section.slug, name: section.name, articles: await withBylines(rows) };
    }),
  );
  return { lead, top, latest, sections: blocks.filter((block) => block.articles.length > 0) };
}

/** Everything the front page shows. Tag: front page. */
export const getFrontPage = cachedQuery("front-page", loadFrontPage, () => [cacheTags.frontPage], { lead: null, top: [], latest: [], sections: [] });

async function loadRelated(articleId: string, sectionSlug: string | null, limit: number): Promise<ArticleSummary[]> {
  const db = await getDb();
  // score: shared tags count twice, the same section once; newest first among equals
  const shared = db
    .select({ articleId: articleTags.articleId, n: count().as("n") })
    .from(articleTags)
    .where(inArray(articleTags.tagId, db.select({ id: articleTags.tagId }).from(articleTags).where(eq(articleTags.articleId, articleId))))
    .groupBy(articleTags.articleId)
    .as("shared");
  const rows = await selectSummaries(db)
    .leftJoin(shared, eq(shared.articleId, articles.id))
    .where(and(isPublic(), ne(articles.id, articleId)))
    .orderBy(
      desc(sql`coalesce(${shared.n}, 0) * 2 + case when ${sections.slug} = ${sectionSlug ?? ""} then 1 else 0 end`),
      desc(articles.publishedAt),
    )
    .limit(limit);
  return withBylines(rows);
}

/** 3–6 published articles sharing tags or the section. Tags: the article and its section. */
export const listRelatedArticles = cachedQuery(
  "related",
  (articleId: string, sectionSlug: string | null, _articleSlug: string) => loadRelated(articleId, sectionSlug, 4),
  (_id, sectionSlug, articleSlug) => [cacheTags.article(articleSlug), ...(sectionSlug ? [cacheTags.section(sectionSlug)] : [])],
);
