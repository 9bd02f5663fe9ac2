import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, useDatabase, type DatabaseHandle, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { bulkSeedArticles } from "@/db/seed/bulk";
import { getFrontPage, getPublishedArticle, listLatestArticles, listRelatedArticles } from "@/lib/articles/queries";
import { listStaffArticles, parseArticleFilters, SORTS } from "@/lib/articles/staff-list";
import { operator } from "@/lib/auth/permissions";
import { getAuthorListing } from "@/lib/authors/queries";
import { getFeed } from "@/lib/feeds/feeds";
import { PAGE_SIZE } from "@/lib/pagination";
import { searchArticles } from "@/lib/search/queries";
import { getSitemap } from "@/lib/seo/sitemap";
import { getSectionListing } from "@/lib/sections/queries";
import { getTagListing } from "@/lib/tags/queries";

// Every reader query, as lib/ really issues it, planned against a magazine of 20,000 articles: no
// plan may read the articles table from end to end (a Seq Scan), which at 100,000 articles is what
// turns a 2 ms page into a 100 ms one. The statements are captured from drizzle while the reader
// functions run, then replayed with EXPLAIN in the same order and transactions (search sets planner
// settings for its transaction with set_config), so a changed query is checked as it now is.

const ARTICLES = 20_000;

type Captured = { kind: "statement"; query: string; params: unknown[] } | { kind: "begin" } | { kind: "end" };
let captured: Captured[] = [];
let real: DatabaseHandle;
type Listing = { slug: string; pages: number };
let targets: { article: { id: string; slug: string; section: string | null }; sections: Listing[]; tags: Listing[]; authors: Listing[] };

/** The same database through a drizzle instance that records every statement and transaction. */
function capturing(handle: DatabaseHandle): Db {
  const logger = { logQuery: (query: string, params: unknown[]) => void captured.push({ kind: "statement", query, params }) };
  const client = (handle.db as unknown as { $client: pg.Pool | PGlite }).$client;
  const db = (handle.kind === "postgres" ? drizzlePg(client as pg.Pool, { schema, casing: "snake_case", logger }) : drizzlePglite(client as PGlite, { schema, casing: "snake_case", logger })) as unknown as Db;
  const transaction = db.transaction.bind(db);
  db.transaction = (async (run: Parameters<Db["transaction"]>[0], config?: Parameters<Db["transaction"]>[1]) => {
    captured.push({ kind: "begin" });
    try {
      return await transaction(run, config);
    } finally {
      captured.push({ kind: "end" });
    }
  }) as Db["transaction"];
  return db;
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function seqScans(node: PlanNode): string[] {
  return [...(node["Node Type"] === "Seq Scan" ? [node["Relation Name"] ?? "?"] : []), ...(node.Plans ?? []).flatMap(seqScans)];
}

/** Replays what a reader function issued, on one connection, with EXPLAIN: each statement and its plan. */
async function explainCaptured(): Promise<{ query: string; seqScans: string[] }[]> {
  const statements = captured;
  captured = [];
  const client = (real.db as unknown as { $client: pg.Pool | PGlite }).$client;
  const pool = real.kind === "postgres" ? (client as pg.Pool) : null;
  const connection = pool ? await pool.connect() : null;
  const query = async (text: string, params: unknown[] = []) =>
    connection ? (await connection.query(text, params)).rows : (await (client as PGlite).query<Record<string, unknown>>(text, params)).rows;
  const plans: { query: string; seqScans: string[] }[] = [];
  try {
    for (const statement of statements) {
      if (statement.kind === "begin") await query("begin");
      else if (statement.kind === "end") await query("rollback");
      else if (/^\s*(begin|commit|rollback)\b/i.test(statement.query)) continue; // node-postgres's own; the markers stand for them
      else if (/^\s*set\s/i.test(statement.query)) await query(statement.query, statement.params);
      else if (/^\s*(select|with)\b/i.test(statement.query)) {
        const [row] = await query(`explain (format json) ${statement.query}`, statement.params);
        const raw = (row as Record<string, unknown>)["QUERY PLAN"];
        const [plan] = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
        plans.push({ query: statement.query.replace(/\s+/g, " ").trim(), seqScans: seqScans(plan.Plan) });
        // a statement that changes planner settings (search's set_config) must also take effect
        if (/set_config\(/i.test(statement.query)) await query(statement.query, statement.params);
      }
    }
  } finally {
    connection?.release();
  }
  return plans;
}

/**
 * Runs a reader function while capturing, and asserts no statement it issued scans the articles
 * table; `except` leaves out statements allowed to (the newsroom list's total count).
 */
async function expectNoArticleScan(name: string, run: () => Promise<unknown>, except?: RegExp) {
  captured = [];
  await run();
  const plans = (await explainCaptured()).filter((p) => !except?.test(p.query));
  expect(plans.length, `${name} issued no query`).toBeGreaterThan(0);
  if (process.env.EXPLAIN_DEBUG) for (const p of plans) console.log(name, p.seqScans.join(","), p.query.slice(0, 90)); // which tables each statement scans
  const offenders = plans.filter((p) => p.seqScans.includes("articles")).map((p) => p.query.slice(0, 300));
  expect(offenders, `${name}: a Seq Scan on articles`).toEqual([]);
}

beforeAll(async () => {
  real = await getDatabase();
  await bulkSeedArticles(real.db, { articles: ARTICLES });
  const pick = async <T>(query: ReturnType<typeof sql>) => (await real.db.execute(query)).rows as T[];
  const visible = sql`a.status = 'published' and a.published_at <= now()`;
  const listing = (rows: { slug: string; n: number }[]) => rows.map((r) => ({ slug: r.slug, pages: Math.ceil(Number(r.n) / PAGE_SIZE) })).sort((a, b) => b.pages - a.pages);
  const [[article], sections, tags, authors] = await Promise.all([
    pick<{ id: string; slug: string; section: string | null }>(sql`select a.id, a.slug, s.slug as section from articles a join sections s on s.id = a.section_id where ${visible} order by md5(a.slug) limit 1`),
    pick<{ slug: string; n: number }>(sql`select s.slug, count(*) as n from sections s join articles a on a.section_id = s.id and ${visible} group by s.slug`),
    pick<{ slug: string; n: number }>(sql`select t.slug, count(*) as n from tags t join article_tags x on x.tag_id = t.id join articles a on a.id = x.article_id and ${visible} group by t.slug`),
    pick<{ slug: string; n: number }>(sql`select u.slug, count(*) as n from users u join article_authors x on x.user_id = u.id join articles a on a.id = x.article_id and ${visible} group by u.slug`),
  ]);
  targets = { article: article!, sections: listing(sections), tags: listing(tags), authors: listing(authors) };
  useDatabase({ ...real, db: capturing(real) });
}, 180_000);

afterAll(() => {
  if (real) useDatabase(real);
});

describe(`reader queries (and the newsroom's list) on ${ARTICLES.toLocaleString("en")} articles never scan the articles table`, () => {
  it("(the check itself sees a scan of the articles table where there is one)", async () => {
    captured = [];
    await (await getDatabase()).db.execute(sql`select count(*) from articles where body_text like '%harbour%'`);
    const [plan] = await explainCaptured();
    expect(plan?.seqScans).toContain("articles");
  });

  it("the article page: the article by slug and its related articles", async () => {
    await expectNoArticleScan("article by slug", () => getPublishedArticle(targets.article.slug));
    await expectNoArticleScan("related articles", () => listRelatedArticles(targets.article.id, targets.article.section, targets.article.slug));
    await expectNoArticleScan("related articles of an article with no section", () => listRelatedArticles(targets.article.id, null, targets.article.slug));
  });

  it("the article page's queries are planned once, not again for every article", async () => {
    // Prepared statements (db/prepared-statements.ts) are planned for their first five runs, then
    // PostgreSQL keeps one generic plan unless it looks costlier than planning each time: a LIMIT
    // passed as a parameter made it look so, and every article page was planned afresh.
    const stories = await real.db.execute<{ id: string; slug: string; section: string | null }>(sql`
      select a.id, a.slug, s.slug as section from articles a join sections s on s.id = a.section_id
      where a.status = 'published' and a.published_at <= now() order by md5(a.slug) limit 12`);
    for (const story of stories.rows) {
      expect(await getPublishedArticle(story.slug)).toMatchObject({ slug: story.slug });
      expect(await listRelatedArticles(story.id, story.section, story.slug)).toHaveLength(4);
    }
    captured = [];
    // sequential queries on PostgreSQL's pool reuse its last connection, the one that prepared them
    const plans = await real.db.execute<{ statement: string; generic: number }>(sql`select statement, generic_plans::int as generic from pg_prepared_statements`);
    const articlePage = plans.rows.filter((p) => p.statement.includes("with pool as") || p.statement.includes('"articles"."slug" = $1'));
    expect(articlePage.map((p) => p.statement.includes("with pool as")).sort()).toEqual([false, true]);
    for (const statement of articlePage) expect(statement.generic, statement.statement.slice(0, 200)).toBeGreaterThan(0);
  });

  it("the front page and the latest list", async () => {
    await expectNoArticleScan("front page", () => getFrontPage());
    await expectNoArticleScan("latest articles", () => listLatestArticles({ limit: 20, offset: 40 }));
  });

  it("section, tag and author listings: page 1 and a deep page", async () => {
    for (const [name, listings, get] of [
      ["section", targets.sections, getSectionListing],
      ["tag", targets.tags, getTagListing],
      ["author", targets.authors, getAuthorListing],
    ] as const) {
      const [biggest] = listings;
      const smallest = listings.at(-1)!;
      expect(biggest!.pages, `the largest ${name} listing`).toBeGreaterThan(20);
      await expectNoArticleScan(`${name} page 1`, () => get(biggest!.slug, 1));
      await expectNoArticleScan(`${name} deep page`, () => get(biggest!.slug, Math.floor(biggest!.pages * 0.8)));
      await expectNoArticleScan(`smallest ${name} page 1`, () => get(smallest.slug, 1));
    }
  });

  it("search: common and rare words, phrases, OR, exclusions, misses and later pages", async () => {
    for (const [query, page] of [
      ["river", 1],
      ["river", 3],
      ["glacier council", 1],
      ['"market hall"', 1],
      ["library OR museum", 2],
      ["election -council", 1],
      ["Bernasconi", 1],
      ["zyzzyva", 1],
    ] as const) {
      await expectNoArticleScan(`search ${query} page ${page}`, () => searchArticles(query, page));
    }
  });

  it("the newsroom's article list in each of its orders reads an index, not a sort of every article", async () => {
    for (const sort of Object.keys(SORTS) as (keyof typeof SORTS)[]) {
      for (const page of [1, 40]) {
        await expectNoArticleScan(`staff list by ${sort}, page ${page}`, () => listStaffArticles(operator, parseArticleFilters({ sort, page: String(page) })), /^select count\(/);
      }
    }
  });

  it("the sitemap (index, listings file, an article file) and the feeds", async () => {
    await expectNoArticleScan("sitemap", () => getSitemap(null));
    await expectNoArticleScan("sitemap listings file", () => getSitemap(0));
    await expectNoArticleScan("sitemap article file", () => getSitemap(1));
    await expectNoArticleScan("feed", () => getFeed("rss", null));
    await expectNoArticleScan("section feed", () => getFeed("rss", targets.sections[0]!.slug));
  });
});
