import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { media } from "@/db/schema";
import { bulkSeedArticles } from "@/db/seed/bulk";

// The bulk seeder behind `npm run bench -- --articles N` writes with foreign keys and triggers off
// (as a restore does) and its secondary indexes dropped: what it leaves must be what the checks and
// triggers would have allowed and written, with every index and check back in force afterwards.

const ARTICLES = 1_200; // over 1,000, so the indexes are dropped and built again

const indexesOfArticleTables = sql`
  select indexrelid::regclass::text as name from pg_index i join pg_class t on t.oid = i.indrelid
  where t.relname in ('articles', 'article_tags', 'article_authors') and t.relnamespace = 'public'::regnamespace order by 1`;

describe("the bulk seeder", () => {
  let indexesBefore: string[];

  beforeAll(async () => {
    const db = await getDb();
    // library images, so some articles get a hero (and article_media rows)
    await db.insert(media).values(Array.from({ length: 3 }, (_, i) => ({ storageKey: `bulk-seed-test-${i}.png`, mimeType: "image/png", width: 800, height: 600, bytes: 1_000 })));
    indexesBefore = (await db.execute<{ name: string }>(indexesOfArticleTables)).rows.map((r) => r.name);
    await bulkSeedArticles(db, { articles: ARTICLES, batchSize: 500 });
  }, 120_000);

  it("writes every article with its section, a byline and tags, all of them existing rows", async () => {
    const db = await getDb();
    const count = async (query: ReturnType<typeof sql>) => Number((await db.execute<{ n: number }>(query)).rows[0]?.n);
    expect(await count(sql`select count(*)::int as n from articles`)).toBe(ARTICLES);
    expect(await count(sql`select count(*)::int as n from articles a where not exists (select 1 from article_authors x where x.article_id = a.id)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from articles a where not exists (select 1 from article_tags x where x.article_id = a.id)`)).toBe(0);
    const orphans = {
      section: await count(sql`select count(*)::int as n from articles a where a.section_id is not null and not exists (select 1 from sections s where s.id = a.section_id)`),
      hero: await count(sql`select count(*)::int as n from articles a where a.hero_media_id is not null and not exists (select 1 from media m where m.id = a.hero_media_id)`),
      byline: await count(sql`select count(*)::int as n from article_authors x where not exists (select 1 from articles a where a.id = x.article_id) or not exists (select 1 from users u where u.id = x.user_id)`),
      tag: await count(sql`select count(*)::int as n from article_tags x where not exists (select 1 from articles a where a.id = x.article_id) or not exists (select 1 from tags t where t.id = x.tag_id)`),
    };
    expect(orphans).toEqual({ section: 0, hero: 0, byline: 0, tag: 0 });
  });

  it("records the images each article shows, as the article_media trigger would have", async () => {
    const db = await getDb();
    const pairs = async (query: ReturnType<typeof sql>) => (await db.execute<{ pair: string }>(query)).rows.map((r) => r.pair).sort();
    const recorded = await pairs(sql`select article_id || ' ' || media_id as pair from article_media`);
    const shown = await pairs(sql`
      select a.id || ' ' || m.id as pair from articles a cross join lateral article_media_ids(a.body, a.hero_media_id) as shown(id) join media m on m.id = shown.id`);
    expect(recorded.length).toBeGreaterThan(ARTICLES / 5); // about a third have a hero
    expect(recorded).toEqual(shown);
  });

  it("leaves every index back and the foreign keys checked again", async () => {
    const db = await getDb();
    expect((await db.execute<{ name: string }>(indexesOfArticleTables)).rows.map((r) => r.name)).toEqual(indexesBefore);
    const [article] = (await db.execute<{ id: string }>(sql`select id from articles limit 1`)).rows;
    const refused = await db.execute(sql`insert into article_tags (article_id, tag_id) values (${article!.id}, gen_random_uuid())`).then(
      () => null,
      (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
    );
    expect(refused).toMatch(/foreign key/);
  });
});
