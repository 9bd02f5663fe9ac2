import { count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase, getDb, useDatabase, type DatabaseHandle } from "@/db/client";
import { articles, users } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import type { NewArticleInput } from "@/lib/articles/validation";
import { HIGHLIGHT_END, HIGHLIGHT_START, MAX_QUERY_LENGTH, normalizeQuery, searchArticles } from "@/lib/search/queries";
import { docOf, makeStaff } from "../../fixtures/builders";
import { readShared } from "../../fixtures/shared";

const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let editor: Staff;

async function published(title: string, body: string, publishedAt: Date, extra: Partial<NewArticleInput> = {}) {
  return createArticle(editor, { title, body: docOf(body), status: "published", publishedAt, ...extra });
}
async function draft(title: string, body: string) {
  return createArticle(editor, { title, body: docOf(body) });
}
async function slugsFor(query: string) {
  return (await searchArticles(query, 1)).hits.map((hit) => hit.slug);
}

const fixtures: Record<string, string> = {};

beforeAll(async () => {
  editor = await makeStaff("editor", "Sally Search");
  // the body-only match is newer, so date order alone would put it first
  fixtures.titleMatch = (await published("Zeppelin festival returns", "Crowds gathered at the airfield for the annual celebration of old airships.", hoursAgo(10))).slug;
  fixtures.bodyMatch = (
    await published(
      "Harbour news in brief",
      "The ferry timetable changes next week. Somebody claimed to have seen a zeppelin drifting over the harbour on Tuesday evening, though nobody else did.",
      hoursAgo(1),
    )
  ).slug;
  fixtures.phrase = (await published("Watching the sky", "Thousands travelled north to watch the solar eclipse from the hills.", hoursAgo(20))).slug;
  fixtures.reversed = (await published("Power and shadows", "The eclipse of coal by solar power is now complete in the region.", hoursAgo(21))).slug;
  fixtures.lunar = (await published("A red moon", "Last night's lunar eclipse turned the moon a deep red.", hoursAgo(22))).slug;
  fixtures.walrus = (await published("Walrus colony grows", "Counts on the ice show more animals than last year.", hoursAgo(30))).slug;
  fixtures.narwhal = (await published("Narwhal tusks studied", "Researchers measured dozens of specimens.", hoursAgo(31))).slug;
  fixtures.draft = (await draft("Quokka secrets", "Quokka zeppelin eclipse walrus narwhal: an unpublished draft.")).slug;
  fixtures.future = (await published("Quokka tomorrow", "Quokka zeppelin: embargoed until tomorrow.", new Date(Date.now() + 24 * HOUR))).slug;
});

describe("ranking and snippets", () => {
  it("ranks a title match above a newer body-only match", async () => {
    const slugs = await slugsFor("zeppelin");
    expect(slugs.indexOf(fixtures.titleMatch!)).toBe(0);
    expect(slugs).toContain(fixtures.bodyMatch);
  });

  it("highlights the matched word with the private-use markers and never returns HTML", async () => {
    const results = await searchArticles("zeppelin", 1);
    const hit = results.hits.find((h) => h.slug === fixtures.bodyMatch);
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}zeppelin${HIGHLIGHT_END}`);
    for (const h of results.hits) {
      expect(h.snippet).not.toMatch(/<\/?b>/);
      expect(h.snippet).not.toMatch(/<[a-z/]/i);
    }
    // the summary fields come along with each hit
    expect(hit).toMatchObject({ title: "Harbour news in brief", authors: [], section: null });
  });
});

describe("snippets cut in the app, words stemmed by the database", () => {
  it("relies on a fact about English stemming that holds for every word of the sample article: the first letter stays", async () => {
    const article = readShared("seed-article.txt").toString("utf8").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    // plus forms the article may lack: plurals, -ing, -ies, -ational, the stemmer's exceptions
    const extra = ["airships", "running", "libraries", "relational", "generously", "skies", "dying", "news", "hoping", "café", "naïve", "2026"];
    const words = [...new Set([...article, ...extra])];
    const { rows } = await (await getDb()).execute<{ word: string; lexeme: string }>(
      sql`select word, lexeme from jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) as word, unnest(tsvector_to_array(to_tsvector('english', word))) as lexeme`,
    );
    expect(rows.length).toBeGreaterThan(300); // stop words have no lexeme
    for (const { word, lexeme } of rows) expect(lexeme[0], `${word} → ${lexeme}`).toBe(word[0]);
  });

  it("highlights the forms a search matched, not just its spelling", async () => {
    const results = await searchArticles("airship", 1);
    const hit = results.hits.find((h) => h.slug === fixtures.titleMatch);
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}airships${HIGHLIGHT_END}`);
  });

  it("does not highlight an excluded word in a story found by another", async () => {
    // "zeppelin OR -ferry": the story holding both words is found by "zeppelin" alone
    const results = await searchArticles("zeppelin OR -ferry", 1);
    const hit = results.hits.find((h) => h.slug === fixtures.bodyMatch);
    expect(hit?.snippet).toContain(`${HIGHLIGHT_START}zeppelin${HIGHLIGHT_END}`);
    expect(hit?.snippet).toContain("ferry");
    expect(hit?.snippet).not.toContain(`${HIGHLIGHT_START}ferry`);
  });
});

describe("web search syntax", () => {
  it('matches a "quoted phrase" only where the words are adjacent', async () => {
    const slugs = await slugsFor('"solar eclipse"');
    expect(slugs).toContain(fixtures.phrase);
    expect(slugs).not.toContain(fixtures.reversed);
    expect(slugs).not.toContain(fixtures.lunar);
  });

  it("drops articles with a -excluded word", async () => {
    const slugs = await slugsFor("eclipse -lunar");
    expect(slugs).toEqual(expect.arrayContaining([fixtures.phrase, fixtures.reversed]));
    expect(slugs).not.toContain(fixtures.lunar);
  });

  it("finds either side of OR", async () => {
    const slugs = await slugsFor("walrus OR narwhal");
    expect(slugs.sort()).toEqual([fixtures.walrus, fixtures.narwhal].sort());
    expect(await slugsFor("walrus narwhal")).toEqual([]);
  });
});

describe("what search never shows", () => {
  it("never finds drafts or future-dated articles", async () => {
    const results = await searchArticles("quokka", 1);
    expect(results).toMatchObject({ hits: [], total: 0 });
    const zeppelin = await slugsFor("zeppelin");
    expect(zeppelin).not.toContain(fixtures.draft);
    expect(zeppelin).not.toContain(fixtures.future);
  });
});

describe("query normalisation", () => {
  it("answers an empty, blank or control-character query with no hits and without touching the database", async () => {
    const real = await getDatabase();
    const untouchable = new Proxy({} as DatabaseHandle["db"], {
      get() {
        throw new Error("the database was queried for an empty search");
      },
    });
    useDatabase({ ...real, db: untouchable });
    try {
      for (const query of ["", "   ", "\t\n  \r", "\u0000\u0001\u007f", `${HIGHLIGHT_START}${HIGHLIGHT_END}`]) {
        expect(await searchArticles(query, 1), JSON.stringify(query)).toEqual({ query: "", hits: [], total: 0, page: 1, totalPages: 0, truncated: false });
      }
    } finally {
      useDatabase(real);
    }
  });

  it("truncates a 10 kB query to MAX_QUERY_LENGTH, says so, and still searches", async () => {
    // OR between the words: wherever the cut falls (even mid-word), the remaining query still matches
    const huge = "zeppelin OR ".repeat(900); // ~10.8 kB
    expect(huge.length).toBeGreaterThan(10_000);
    const results = await searchArticles(huge, 1);
    expect(results.truncated).toBe(true);
    expect(results.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    expect(results.hits.map((h) => h.slug)).toContain(fixtures.titleMatch);
  });

  it("normalizeQuery collapses whitespace, strips control characters and highlight markers", () => {
    expect(normalizeQuery("  solar \n\t eclipse\u0000 ")).toEqual({ query: "solar eclipse", truncated: false });
    expect(normalizeQuery(`a${HIGHLIGHT_START}b${HIGHLIGHT_END}c`)).toEqual({ query: "a b c", truncated: false });
    expect(normalizeQuery("x".repeat(MAX_QUERY_LENGTH))).toEqual({ query: "x".repeat(MAX_QUERY_LENGTH), truncated: false });
    expect(normalizeQuery("x".repeat(MAX_QUERY_LENGTH + 1))).toEqual({ query: "x".repeat(MAX_QUERY_LENGTH), truncated: true });
  });
});

describe("hostile queries from the shared security corpus (sqli.txt)", () => {
  // one string per line, used byte-for-byte; "#" lines are comments (security-corpus/README.md)
  const payloads = readShared("security-corpus/sqli.txt")
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));

  it("reads the corpus", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(60);
    expect(payloads).toContain("'; DROP TABLE articles;--");
  });

  it("resolves every payload quickly, never shows a draft, and changes nothing in the database", async () => {
    // words from the payloads, so a search that ignored the published-only rule would surface the draft
    const words = "union select null users email password hash table information schema version current database sleep generate series drop articles update role admin title published foo bar randstr nan string agg";
    const bait = await published("Union select users email", `Select union of users: ${words}.`, hoursAgo(2));
    const secret = await draft("Union select users email draft", `Draft: ${words}.`);
    const db = await getDb();
    const [{ n: articlesBefore } = { n: -1 }] = await db.select({ n: count() }).from(articles);
    const admins = async () => (await db.select({ n: count() }).from(users).where(eq(users.role, "admin")))[0]?.n;
    const adminsBefore = await admins();

    let sawHits = 0;
    for (const payload of payloads) {
      const started = performance.now();
      const results = await searchArticles(payload, 1);
      const elapsed = performance.now() - started;
      expect(elapsed, `${JSON.stringify(payload)} took ${Math.round(elapsed)} ms`).toBeLessThan(2_000);
      expect(results.hits.map((h) => h.slug), JSON.stringify(payload)).not.toContain(secret.slug);
      expect(results.total, JSON.stringify(payload)).toBe(results.hits.length);
      if (results.hits.some((h) => h.slug === bait.slug)) sawHits++;
    }
    // the payloads really reached the full-text search (some of them match the bait article's words)
    expect(sawHits).toBeGreaterThan(0);

    const [{ n: articlesAfter } = { n: -2 }] = await db.select({ n: count() }).from(articles);
    expect(articlesAfter).toBe(articlesBefore);
    expect(await admins()).toBe(adminsBefore);
    expect(await slugsFor("zeppelin")).toContain(fixtures.titleMatch);
  });
});
