import "server-only";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, articleTags, corrections, media, sections, tags } from "@/db/schema";
import { cachedQuery } from "@/lib/cache/cached";
import { tags as cacheTags } from "@/lib/cache/tags";
import { parseRichText, type RichTextDoc } from "@/lib/rich-text/schema";
import { readingMinutes } from "@/lib/rich-text/plain-text";
import { bylinesJson, isPublic, selectSummariesWithBylines, summariesFor, summaryColumns, toSummary, type ArticleSummary } from "./summaries";

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
  // one read: the card-sized summary, the rest of the article, and its bylines, tags and
  // corrections as JSON (the page waits for one round trip, not two)
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
      authors: bylinesJson,
      tags: sql<{ slug: string; name: string }[]>`coalesce((select json_agg(json_build_object('slug', ${tags.slug}, 'name', ${tags.name}) order by ${tags.name})
        from ${articleTags} join ${tags} on ${tags.id} = ${articleTags.tagId} where ${articleTags.articleId} = ${articles.id}), '[]')`,
      corrections: sql<{ note: string; createdAt: string }[]>`coalesce((select json_agg(json_build_object('note', ${corrections.note}, 'createdAt', ${corrections.createdAt}) order by ${corrections.createdAt})
        from ${corrections} where ${corrections.articleId} = ${articles.id}), '[]')`,
    })
    .from(articles)
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.id, articles.heroMediaId))
    .where(where)
    .limit(1);
  if (!row) return null;
  const body = parseRichText(row.body);
  const words = row.bodyText.split(/\s+/).filter(Boolean).length;
  return {
    ...toSummary(row, row.authors),
    // stored bodies were validated on write; re-checking on read means a bad row renders empty, never raw
    body: body.ok ? body.doc : { type: "doc", content: [] },
    heroCaption: row.heroCaption,
    heroCredit: row.heroCredit,
    sourceUrl: row.sourceUrl,
    seoTitle: row.seoTitle,
    seoDescription: row.seoDescription,
    canonicalUrl: row.canonicalUrl,
    tags: row.tags,
    corrections: row.corrections.map((c) => ({ note: c.note, createdAt: new Date(c.createdAt).toISOString() })),
    readingMinutes: readingMinutes(row.bodyText),
    wordCount: words,
  };
}

/** One published article by its current slug, or null (drafts, scheduled and unknown slugs alike). Tag: article. */
export const getPublishedArticle = cachedQuery("article", loadPublishedArticle, (slug) => [cacheTags.article(slug)]);

async function loadLatest(limit: number, offset: number): Promise<ArticleSummary[]> {
  const db = await getDb();
  const rows = await selectSummariesWithBylines(db).where(isPublic()).orderBy(desc(articles.publishedAt)).limit(limit).offset(offset);
  return rows.map((row) => toSummary(row, row.authors));
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
  // three queries side by side (the latest, the featured lead, each section's newest four in one
  // lateral join), then the rows of any of those four not already read: round trips, not rows, are
  // what a page costs here
  const [recent, [featured], blockIds] = await Promise.all([
    selectSummariesWithBylines(db).where(isPublic()).orderBy(desc(articles.publishedAt)).limit(40),
    selectSummariesWithBylines(db).where(and(isPublic(), eq(articles.isFeatured, true))).orderBy(desc(articles.publishedAt)).limit(1),
    db.execute<{ slug: string; name: string; id: string }>(sql`
      select ${sections.slug} as slug, ${sections.name} as name, newest.id from ${sections}
      cross join lateral (
        select ${articles.id} as id, ${articles.publishedAt} as published_at from ${articles}
        where ${isPublic()} and ${articles.sectionId} = ${sections.id} order by ${articles.publishedAt} desc limit 4
      ) as newest
      order by ${sections.position}, ${sections.name}, newest.published_at desc`),
  ]);
  const summaries = new Map([...recent, ...(featured ? [featured] : [])].map((row) => [row.id, toSummary(row, row.authors)]));
  for (const summary of await summariesFor(blockIds.rows.map((r) => r.id).filter((id) => !summaries.has(id)))) summaries.set(summary.id, summary);
  const latestAll = recent.map((row) => summaries.get(row.id)!);
  const lead = featured ? summaries.get(featured.id)! : (latestAll[0] ?? null);
  const rest = latestAll.filter((a) => a.id !== lead?.id);
  const blocks: FrontPage["sections"] = [];
  for (const { slug, name, id } of blockIds.rows) {
    if (blocks.at(-1)?.slug !== slug) blocks.push({ slug, name, articles: [] });
    blocks.at(-1)!.articles.push(summaries.get(id)!);
  }
  return { lead, top: rest.slice(0, 4), latest: rest.slice(4, 14), sections: blocks };
}

/** Everything the front page shows. Tag: front page. */
export const getFrontPage = cachedQuery("front-page", loadFrontPage, () => [cacheTags.frontPage], { lead: null, top: [], latest: [], sections: [] });

// related articles are chosen among the newest stories and the newest in the section: readers are
// sent on to something recent, and the pool stays small enough to score from the indexes alone
const RELATED_RECENT = 100;
const RELATED_IN_SECTION = 50;

async function loadRelated(articleId: string, sectionSlug: string | null, limit: number): Promise<ArticleSummary[]> {
  const db = await getDb();
  // score: shared tags count twice, the same section once; newest first among equals. Scoring every
  // published article would read them all (and their tags), so the candidates are the newest
  // RELATED_RECENT stories and the newest RELATED_IN_SECTION in the section: what readers are sent on to
  // is recent, the pool is read from indexes alone, and the tags the candidates share with this
  // article are counted in one pass over the tag index (candidates × this article's tags). The
  // chosen few are read, bylines and all, by the same query.
  const section = sql`(select ${sections.id} from ${sections} where ${sections.slug} = ${sectionSlug ?? ""})`;
  const mine = sql`array(select ${articleTags.tagId} from ${articleTags} where ${articleTags.articleId} = ${articleId})`;
  const published = sql`${isPublic()} and ${articles.id} <> ${articleId}`;
  const candidate = sql`${articles.id} as id, ${articles.publishedAt} as published_at, ${articles.sectionId} as section_id`;
  // the limits are constants written into the text, not parameters: a LIMIT PostgreSQL cannot see
  // makes it plan the prepared statement afresh for every article (about 1.5 ms on PGlite)
  const chosen = sql`(
    with pool as (
      (select ${candidate} from ${articles} where ${published} order by ${articles.publishedAt} desc limit ${sql.raw(String(RELATED_RECENT))})
      union
      (select ${candidate} from ${articles} where ${published} and ${articles.sectionId} = ${section} order by ${articles.publishedAt} desc limit ${sql.raw(String(RELATED_IN_SECTION))})
    ),
    shared as (
      select ${articleTags.articleId} as id, count(*) as n from ${articleTags}
      where ${articleTags.articleId} = any(array(select id from pool)) and ${articleTags.tagId} = any(${mine})
      group by ${articleTags.articleId}
    )
    select pool.id from pool left join shared on shared.id = pool.id
    order by coalesce(shared.n, 0) * 2 + case when pool.section_id = ${section} then 1 else 0 end desc, pool.published_at desc
    limit ${sql.raw(String(limit))})`;
  // the same order for the chosen rows (a handful of index probes)
  const score = sql`(select count(*) from ${articleTags} where ${articleTags.articleId} = ${articles.id} and ${articleTags.tagId} = any(${mine})) * 2
    + case when ${articles.sectionId} = ${section} then 1 else 0 end`;
  const rows = await selectSummariesWithBylines(db).where(inArray(articles.id, chosen)).orderBy(desc(score), desc(articles.publishedAt));
  return rows.map((row) => toSummary(row, row.authors));
}

/** 3–6 published articles sharing tags or the section. Tags: the article and its section. */
export const listRelatedArticles = cachedQuery(
  "related",
  (articleId: string, sectionSlug: string | null, _articleSlug: string) => loadRelated(articleId, sectionSlug, 4),
  (_id, sectionSlug, articleSlug) => [cacheTags.article(articleSlug), ...(sectionSlug ? [cacheTags.section(sectionSlug)] : [])],
);
