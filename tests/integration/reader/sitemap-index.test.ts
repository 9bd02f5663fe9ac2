import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { getSitemap, URLS_PER_SITEMAP } from "@/lib/seo/sitemap";

describe("the sitemap past 50,000 URLs", () => {
  it("becomes an index of files, each within the limit, covering every article once", async () => {
    const db = await getDb();
    const total = URLS_PER_SITEMAP + 5;
    await db.execute(sql`
      insert into articles (slug, title, body, status, published_at)
      select 'bulk-' || n, 'Bulk ' || n, '{"type":"doc","content":[]}'::jsonb, 'published', now() - (n || ' minutes')::interval
      from generate_series(1, ${total}) as n`);
    const index = (await getSitemap(null))!;
    expect(index).toContain("<sitemapindex");
    const files = [...index.matchAll(/<loc>[^<]*\/sitemaps\/(\d+)\.xml<\/loc>/g)].map((m) => Number(m[1]));
    expect(files).toEqual([0, 1, 2]);
    const first = (await getSitemap(1))!;
    const second = (await getSitemap(2))!;
    const count = (xml: string) => (xml.match(/<url>/g) ?? []).length;
    expect(count(first)).toBe(URLS_PER_SITEMAP);
    expect(count(second)).toBe(5);
    expect(second).toContain("/article/bulk-");
    expect(await getSitemap(3)).toBeNull();
  }, 120_000);
});
