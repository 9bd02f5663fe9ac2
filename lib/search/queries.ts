import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { articles } from "@/db/schema";
import { selectSummaries, withBylines, type ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { normalizeQuery } from "./query-text";

export { MAX_QUERY_LENGTH, normalizeQuery } from "./query-text";

export const SEARCH_PAGE_SIZE = 10;
/** A search ranks its newest matches, up to this many (every match, for a narrower search)… */
export const SEARCH_RANKED_NEWEST = 300;
/** …and, however old, the newest this many whose headline or standfirst match. */
export const SEARCH_RANKED_HEADLINES = 50;
// private-use characters mark highlights in snippets: never HTML, split into <mark> by the page
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

export type SearchHit = ArticleSummary & { snippet: string };
export type SearchResults = {
  query: string;
  hits: SearchHit[];
  /** The stories ranked: every match, unless `moreThanTotal`. */
  total: number;
  /** Set when more stories match than were ranked (a broad search: see runSearch). */
  moreThanTotal?: true;
  page: number;
  totalPages: number;
  truncated: boolean;
};

// When a word is in at least this share of the articles, its newest matches are found by reading
// the newest articles in turn (at most WALK_ROWS of them); otherwise, from the full-text index.
const WALK_SHARE = 0.14;
const WALK_ROWS = 3_000;

/** The planner's estimate of the share of articles the query matches (its statistics, no scan). */
async function estimatedShare(db: Db, tsquery: SQL): Promise<number> {
  const [explained, size] = await Promise.all([
    db.execute<{ "QUERY PLAN": unknown }>(sql`explain (format json) select 1 from ${articles} where ${articles.search} @@ ${tsquery}`),
    db.execute<{ n: number }>(sql`select greatest(reltuples, 1)::float8 as n from pg_class where oid = 'articles'::regclass`),
  ]);
  const raw = explained.rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: { "Plan Rows": number } }] | undefined;
  return (plan?.[0]?.Plan["Plan Rows"] ?? 0) / Number(size.rows[0]?.n ?? 1);
}

/**
 * The ids to rank: the newest SEARCH_RANKED_NEWEST + 1 matches (one more, to know there are more)
 * and the newest SEARCH_RANKED_HEADLINES headline matches. PostgreSQL cannot read a text index in
 * date order, and its planner does not see what reading a story's text vector costs (a TOAST fetch),
 * so the plan is chosen here: a common word's newest matches are among the newest few hundred
 * stories, read in date order; anything rarer (or a phrase the estimate misjudged) comes from a
 * bitmap of the text index, whose cost follows the number of matches, never the size of the table.
 */
async function candidateIds(db: Db, tsquery: SQL, published: SQL): Promise<{ newest: string[]; all: string[] }> {
  const share = await estimatedShare(db, tsquery);
  return db.transaction(async (tx) => {
    let newest: string[] | null = null;
    if (share >= WALK_SHARE) {
      const walked = await tx.execute<{ id: string }>(sql`
        select id from (select ${articles.id} as id, ${articles.search} as search from ${articles} where ${published} order by ${articles.publishedAt} desc limit ${WALK_ROWS}) as recent
        where search @@ ${tsquery} limit ${SEARCH_RANKED_NEWEST + 1}`);
      if (walked.rows.length > SEARCH_RANKED_NEWEST) newest = walked.rows.map((row) => row.id);
    }
    // bitmap scans only, for the rest of this transaction
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_indexscan = off`);
    newest ??= (
      await tx.execute<{ id: string }>(sql`
        select ${articles.id} as id from ${articles} where ${articles.search} @@ ${tsquery} and ${published}
        order by ${articles.publishedAt} desc limit ${SEARCH_RANKED_NEWEST + 1}`)
    ).rows.map((row) => row.id);
    // every match is a candidate already, unless there were more than SEARCH_RANKED_NEWEST
    if (newest.length <= SEARCH_RANKED_NEWEST) return { newest, all: newest };
    const headlines = (
      await tx.execute<{ id: string }>(sql`
        select ${articles.id} as id from ${articles} where ${articles.headlineSearch} @@ ${tsquery} and ${published}
        order by ${articles.publishedAt} desc limit ${SEARCH_RANKED_HEADLINES}`)
    ).rows.map((row) => row.id);
    return { newest, all: [...new Set([...newest, ...headlines])] };
  });
}

/**
 * Ranking reads each candidate's whole text vector: cheap for a few hundred stories, a quarter of a
 * second for a word found in a quarter of 100,000. So the candidates are bounded (candidateIds): the
 * newest SEARCH_RANKED_NEWEST matches (all of them, when there are no more) with the newest
 * SEARCH_RANKED_HEADLINES whose title or standfirst match, however old, ordered by ts_rank_cd (title
 * above standfirst above body), then newest first. The total is exact unless more matched than were
 * ranked (then `moreThanTotal`), and the pages end with the candidates.
 */
async function runSearch(query: string, page: number): Promise<Omit<SearchResults, "truncated">> {
  const empty = { query, hits: [], total: 0, page, totalPages: 0 };
  if (!query) return empty;
  const db = await getDb();
  // websearch_to_tsquery accepts any input ("quoted phrases", -exclusions, OR) and never raises;
  // weights A/B/C on title/dek/body make a title match outrank a body match
  const tsquery = sql`websearch_to_tsquery('english', ${query})`;
  const published = sql`${articles.status} = 'published' and ${articles.publishedAt} <= now()`;
  const candidates = await candidateIds(db, tsquery, published);
  const total = candidates.all.length;
  if (total === 0) return empty;
  const counted = { query, total, ...(candidates.newest.length > SEARCH_RANKED_NEWEST ? { moreThanTotal: true as const } : {}), page, totalPages: Math.ceil(total / SEARCH_PAGE_SIZE) };
  if (page > counted.totalPages) return { ...counted, hits: [] };
  const ranked = await db.execute<{ id: string; snippet: string }>(sql`
    select ranked.id, ts_headline('english', ranked.body_text, ${tsquery},
      ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … "`}) as snippet
    from (
      select ${articles.id} as id, ${articles.bodyText} as body_text, ts_rank_cd(${articles.search}, ${tsquery}) as rank, ${articles.publishedAt} as published_at
      from ${articles} where ${inArray(articles.id, candidates.all)}
      order by rank desc, published_at desc
      limit ${SEARCH_PAGE_SIZE} offset ${(page - 1) * SEARCH_PAGE_SIZE}
    ) ranked
    order by ranked.rank desc, ranked.published_at desc`);
  const summaries = await withBylines(await selectSummaries(db).where(inArray(articles.id, ranked.rows.map((row) => row.id))));
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const hits = ranked.rows.flatMap((row) => {
    const summary = byId.get(row.id);
    return summary ? [{ ...summary, snippet: row.snippet }] : [];
  });
  return { ...counted, hits };
}

const cachedSearch = cachedQuery("search", runSearch, () => [tags.search]);

/**
 * Ranked full-text search over published articles. Tag: search (every publish expires it). The query
 * is normalized before the cache sees it, so odd spellings of one search share an entry.
 */
export async function searchArticles(rawQuery: string, page: number): Promise<SearchResults> {
  const { query, truncated } = normalizeQuery(rawQuery);
  return { ...(await cachedSearch(query, page)), truncated };
}
