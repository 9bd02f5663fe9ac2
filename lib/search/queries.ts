import "server-only";
import { inArray, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { articles } from "@/db/schema";
import { summariesFor, type ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { normalizeQuery } from "./query-text";
import { candidateWords, highlightedSnippet, splitWords, type SplitText, wantedLexemes } from "./snippets";

export { MAX_QUERY_LENGTH, normalizeQuery } from "./query-text";
export { HIGHLIGHT_END, HIGHLIGHT_START } from "./snippets";

export const SEARCH_PAGE_SIZE = 10;
/** A search ranks its newest matches, up to this many (every match, for a narrower search). */
export const SEARCH_RANKED_NEWEST = 200;

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

// The newest matches are looked for among the newest this many published stories first: a common
// word has enough of them there; a rarer one is looked for among all stories.
const RECENT_WINDOW = 5_000;
// Where that window begins is a hint, never part of the answer: whatever it is, the newest matches
// come out the same (too few in the window, and all stories are searched). Finding it reads 5,000
// index entries, 7 ms of a search on PGlite, so each process reads it at most once a minute.
const WINDOW_HINT_MS = 60_000;
let windowHint: { at: string | null; readAt: number } | null = null;

async function recentWindowStart(db: Db, published: SQL): Promise<string | null> {
  if (windowHint && Date.now() - windowHint.readAt < WINDOW_HINT_MS) return windowHint.at;
  const [row] = (
    await db.execute<{ at: string | null }>(sql`
      select (select ${articles.publishedAt} from ${articles} where ${published} order by ${articles.publishedAt} desc offset ${RECENT_WINDOW - 1} limit 1) as at`)
  ).rows;
  windowHint = { at: row?.at ?? null, readAt: Date.now() };
  return windowHint.at;
}

type Candidate = { id: string; rank: number; published_at: string };

/**
 * The newest SEARCH_RANKED_NEWEST + 1 matches (one more, to know there are more), each with its
 * ts_rank_cd. PostgreSQL cannot read a text index in date order, and its planner does not see what
 * reading a story's text vector costs (a TOAST fetch, a file read on PGlite): left alone, it walks
 * the newest stories testing each one, and for a phrase it misjudges reads them all. So the text
 * index is read only as a bitmap (SET LOCAL for this transaction), intersected with the newest
 * RECENT_WINDOW stories, then, when they hold too few matches, on its own: what is read follows the
 * number of matches, never the size of the table.
 */
async function rankedCandidates(db: Db, tsquery: SQL, published: SQL): Promise<Candidate[]> {
  const windowStart = await recentWindowStart(db, published);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`);
    // A "quoted phrase" (or a hyphenated word) asks for adjacent words, which the index cannot tell:
    // each story it offers is checked against its text vector. So the stories are found with the
    // words merely all present (the index answers that exactly), kept to the window, and only those
    // are checked for the phrase. Without a phrase the two queries are the same and the check folds away.
    const allWords = sql`regexp_replace((${tsquery})::text, '<(-|[0-9]+)>', '&', 'g')::tsquery`;
    const newest = async (since: SQL) =>
      (
        await tx.execute<Candidate>(sql`
          select id, ts_rank_cd(search, ${tsquery}) as rank, published_at from (
            select * from (
              select ${articles.id} as id, ${articles.search} as search, ${articles.publishedAt} as published_at from ${articles}
              where ${articles.search} @@ ${allWords} and ${published} ${since} offset 0
            ) as present
            where (${allWords} = ${tsquery} or search @@ ${tsquery})
            order by published_at desc limit ${SEARCH_RANKED_NEWEST + 1}
          ) as found`)
      ).rows;
    const recent = windowStart ? await newest(sql`and ${articles.publishedAt} >= ${windowStart}`) : [];
    return recent.length > SEARCH_RANKED_NEWEST ? recent : newest(sql``);
  });
}

/**
 * Ranking reads each candidate's whole text vector: cheap for a few hundred stories, a quarter of a
 * second for a word found in a quarter of 100,000. So a search ranks its newest SEARCH_RANKED_NEWEST
 * matches (all of them, when there are no more: rankedCandidates) by ts_rank_cd (title above
 * standfirst above body), then newest first. The total is exact unless more matched (then
 * `moreThanTotal`, and the page suggests narrowing the search), and the pages end with the candidates.
 */
async function runSearch(query: string, page: number): Promise<Omit<SearchResults, "truncated">> {
  const empty = { query, hits: [], total: 0, page, totalPages: 0 };
  if (!query) return empty;
  const db = await getDb();
  // websearch_to_tsquery accepts any input ("quoted phrases", -exclusions, OR) and never raises;
  // weights A/B/C on title/dek/body make a title match outrank a body match
  const tsquery = sql`websearch_to_tsquery('english', ${query})`;
  const published = sql`${articles.status} = 'published' and ${articles.publishedAt} <= now()`;
  const found = await rankedCandidates(db, tsquery, published);
  const candidates = found.slice(0, SEARCH_RANKED_NEWEST);
  const total = candidates.length;
  if (total === 0) return empty;
  const counted = { query, total, ...(found.length > SEARCH_RANKED_NEWEST ? { moreThanTotal: true as const } : {}), page, totalPages: Math.ceil(total / SEARCH_PAGE_SIZE) };
  const ids = candidates
    .sort((a, b) => b.rank - a.rank || Date.parse(b.published_at) - Date.parse(a.published_at))
    .slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE)
    .map((c) => c.id);
  if (ids.length === 0) return { ...counted, hits: [] };
  // the snippets are cut here, not by ts_headline (see lib/search/snippets)
  const [texts, summaries] = await Promise.all([
    db.execute<{ id: string; text: string; tsquery: string }>(sql`
      select ${articles.id} as id, ${articles.bodyText} as text, (${tsquery})::text as tsquery from ${articles} where ${inArray(articles.id, ids)}`),
    summariesFor(ids),
  ]);
  const split = texts.rows.map((row) => ({ id: row.id, ...splitWords(row.text) }));
  const matching = await matchingWords(db, texts.rows[0]?.tsquery ?? "", split);
  const snippetById = new Map(split.map((text) => [text.id, highlightedSnippet(text, matching)]));
  return { ...counted, hits: summaries.map((summary) => ({ ...summary, snippet: snippetById.get(summary.id) ?? "" })) };
}

/** Which words of the results' texts the search matched, each (lowercased) with its lexeme: stemmed by the database, as the index was. */
async function matchingWords(db: Db, tsquery: string, texts: SplitText[]): Promise<Map<string, string>> {
  const wanted = wantedLexemes(tsquery);
  const candidates = candidateWords(texts, wanted);
  if (candidates.length === 0) return new Map();
  const { rows: matches } = await db.execute<{ word: string; lexeme: string }>(sql`
    select word, lexeme from jsonb_array_elements_text(${JSON.stringify(candidates)}::jsonb) as word,
      unnest(tsvector_to_array(to_tsvector('english', word))) as lexeme
    where lexeme in (select jsonb_array_elements_text(${JSON.stringify([...wanted])}::jsonb))`);
  return new Map(matches.map((m) => [m.word, m.lexeme]));
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
