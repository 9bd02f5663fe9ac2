import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { withBylines, type ArticleSummary } from "@/lib/articles/summaries";
import { selectSummaries } from "@/lib/articles/summaries";
import { articles } from "@/db/schema";
import { inArray } from "drizzle-orm";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { normalizeQuery } from "./query-text";

export { MAX_QUERY_LENGTH, normalizeQuery } from "./query-text";

export const SEARCH_PAGE_SIZE = 10;
// private-use characters mark highlights in snippets: never HTML, split into <mark> by the page
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

export type SearchHit = ArticleSummary & { snippet: string };
export type SearchResults = { query: string; hits: SearchHit[]; total: number; page: number; totalPages: number; truncated: boolean };

async function runSearch(query: string, page: number): Promise<Omit<SearchResults, "truncated">> {
  const empty = { query, hits: [], total: 0, page, totalPages: 0 };
  if (!query) return empty;
  const db = await getDb();
  // websearch_to_tsquery accepts any input ("quoted phrases", -exclusions, OR) and never raises;
  // weights A/B/C on title/dek/body make a title match outrank a body match
  const tsquery = sql`websearch_to_tsquery('english', ${query})`;
  const matches = sql`${articles.search} @@ ${tsquery} and ${articles.status} = 'published' and ${articles.publishedAt} <= now()`;
  const [{ total } = { total: 0 }] = (await db.execute<{ total: number }>(sql`select count(*)::int as total from ${articles} where ${matches}`)).rows;
  const totalPages = Math.ceil(total / SEARCH_PAGE_SIZE);
  if (total === 0 || page > totalPages) return { ...empty, total, totalPages };
  const ranked = await db.execute<{ id: string; snippet: string }>(sql`
    select ranked.id, ts_headline('english', ranked.body_text, ${tsquery},
      ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … "`}) as snippet
    from (
      select ${articles.id} as id, ${articles.bodyText} as body_text, ts_rank_cd(${articles.search}, ${tsquery}) as rank, ${articles.publishedAt} as published_at
      from ${articles} where ${matches}
      order by rank desc, published_at desc
      limit ${SEARCH_PAGE_SIZE} offset ${(page - 1) * SEARCH_PAGE_SIZE}
    ) ranked
    order by ranked.rank desc, ranked.published_at desc`);
  const ids = ranked.rows.map((row) => row.id);
  const summaries = await withBylines(await selectSummaries(db).where(inArray(articles.id, ids)));
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const hits = ranked.rows.flatMap((row) => {
    const summary = byId.get(row.id);
    return summary ? [{ ...summary, snippet: row.snippet }] : [];
  });
  return { query, hits, total, page, totalPages };
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
