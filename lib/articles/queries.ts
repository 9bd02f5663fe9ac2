import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, articleTags, corrections, media, sections, tags } from "@/db/schema";
import { cachedQuery } from "@/lib/cache/cached";
import { tags as cacheTags } from "@/lib/cache/tags";
import { parseRichText, type RichTextDoc } from "@/lib/rich-text/schema";
import { readingMinutes } from "@/lib/rich-text/plain-text";
import { bylines, isPublic, selectSummaries, summaryColumns, toSummary, withBylines, type ArticleSummary } from "./summaries";

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
  // the card-sized summary and the rest of the article in one read
  const [row] = await db
    .select({
      ...summaryColumns,
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
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.id, articles.heroMediaId))
    .where(where)
    .limit(1);
  if (!row) return null;
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
  const body = parseRichText(row.body);
  const words = row.bodyText.split(/\s+/).filter(Boolean).length;
  return {
    ...summary!,
    // stored bodies were validated on write; re-checking on read means a bad row renders empty, never raw
    body: body.ok ? body.doc : { type: "doc", content: [] },
    heroCaption: row.heroCaption,
    heroCredit: row.heroCredit,
    sourceUrl: row.sourceUrl,
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
    canonicalUrl: row.canonicalUrl,
    tags: tagRows,
    corrections: correctionRows.map((c) => ({ note: c.note, createdAt: c.createdAt.toISOString() })),
    readingMinutes: readingMinutes(row.bodyText),
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
  // a handful of queries in all (the latest, the featured lead, each section's newest four in one
  // lateral join, their rows, every byline at once): round trips, not rows, are what a page costs
  const [recent, [featured], blockIds] = await Promise.all([
    selectSummaries(db).where(isPublic()).orderBy(desc(articles.publishedAt)).limit(40),
    selectSummaries(db).where(and(isPublic(), eq(articles.isFeatured, true))).orderBy(desc(articles.publishedAt)).limit(1),
    db.execute<{ slug: string; name: string; id: string }>(sql`
      select ${sections.slug} as slug, ${sections.name} as name, newest.id from ${sections}
      cross join lateral (
        select ${articles.id} as id, ${articles.publishedAt} as published_at from ${articles}
        where ${isPublic()} and ${articles.sectionId} = ${sections.id} order by ${articles.publishedAt} desc limit 4
      ) as newest
      order by ${sections.position}, ${sections.name}, newest.published_at desc`),
  ]);
  const rows = new Map([...recent, ...(featured ? [featured] : [])].map((row) => [row.id, row]));
  const missing = blockIds.rows.map((r) => r.id).filter((id) => !rows.has(id));
  if (missing.length) for (const row of await selectSummaries(db).where(inArray(articles.id, missing))) rows.set(row.id, row);
  const authors = await bylines([...rows.keys()]);
  const summary = (id: string) => toSummary(rows.get(id)!, authors.get(id) ?? []);
  const latestAll = recent.map((row) => summary(row.id));
  const lead = featured ? summary(featured.id) : (latestAll[0] ?? null);
  const rest = latestAll.filter((a) => a.id !== lead?.id);
  const blocks: FrontPage["sections"] = [];
  for (const { slug, name, id } of blockIds.rows) {
    if (blocks.at(-1)?.slug !== slug) blocks.push({ slug, name, articles: [] });
    blocks.at(-1)!.articles.push(summary(id));
  }
  return { lead, top: rest.slice(0, 4), latest: rest.slice(4, 14), sections: blocks };
}

/** Everything the front page shows. Tag: front page. */
export const getFrontPage = cachedQuery("front-page", loadFrontPage, () => [cacheTags.frontPage], { lead: null, top: [], latest: [], sections: [] });

// related articles are chosen among the newest this many stories, and as many again in the section
const RELATED_RECENT = 500;

async function loadRelated(articleId: string, sectionSlug: string | null, limit: number): Promise<ArticleSummary[]> {
  const db = await getDb();
  // score: shared tags count twice, the same section once; newest first among equals. Scoring every
  // published article would read them all (and their tags), so the candidates are the newest
  // RELATED_RECENT stories and the newest RELATED_RECENT in the section: what readers are sent on to
  // is recent, the pool is read from indexes alone, and each candidate's tags are one index probe.
  const mine = sql`(select ${articleTags.tagId} from ${articleTags} where ${articleTags.articleId} = ${articleId})`;
  const shared = sql`(select count(*) from ${articleTags} where ${articleTags.articleId} = pool.id and ${articleTags.tagId} in ${mine})`;
  const section = sql`(select ${sections.id} from ${sections} where ${sections.slug} = ${sectionSlug ?? ""})`;
  const published = sql`${isPublic()} and ${articles.id} <> ${articleId}`;
  const candidate = sql`${articles.id} as id, ${articles.publishedAt} as published_at, ${articles.sectionId} as section_id`;
  const ranked = await db.execute<{ id: string }>(sql`
    with pool as (
      (select ${candidate} from ${articles} where ${published} order by ${articles.publishedAt} desc limit ${RELATED_RECENT})
      union
      (select ${candidate} from ${articles} where ${published} and ${articles.sectionId} = ${section} order by ${articles.publishedAt} desc limit ${RELATED_RECENT})
    )
    select pool.id from pool
    order by ${shared} * 2 + case when pool.section_id = ${section} then 1 else 0 end desc, pool.published_at desc
    limit ${limit}`);
  const ids = ranked.rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const byId = new Map((await withBylines(await selectSummaries(db).where(inArray(articles.id, ids)))).map((summary) => [summary.id, summary]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** 3–6 published articles sharing tags or the section. Tags: the article and its section. */
export const listRelatedArticles = cachedQuery(
  "related",
  (articleId: string, sectionSlug: string | null, _articleSlug: string) => loadRelated(articleId, sectionSlug, 4),
  (_id, sectionSlug, articleSlug) => [cacheTags.article(articleSlug), ...(sectionSlug ? [cacheTags.section(sectionSlug)] : [])],
);
