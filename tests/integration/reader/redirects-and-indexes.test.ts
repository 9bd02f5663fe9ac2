import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { redirects } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getArticleRedirect } from "@/lib/redirects/queries";
import { docOf, makeStaff } from "../../fixtures/builders";

describe("old article addresses", () => {
  it("lead to the article's current slug while it is published, and nowhere for drafts", async () => {
    const editor = await makeStaff("editor");
    const live = await createArticle(editor, { title: "Renamed story", body: docOf("x"), status: "published" });
    const draft = await createArticle(editor, { title: "Renamed draft", body: docOf("x") });
    const db = await getDb();
    await db.insert(redirects).values([
      { fromPath: "/article/old-story-name", articleId: live.id },
      { fromPath: "/article/old-draft-name", articleId: draft.id },
    ]);
    expect(await getArticleRedirect("old-story-name")).toBe(live.slug);
    expect(await getArticleRedirect("old-draft-name")).toBeNull();
    expect(await getArticleRedirect("never-existed")).toBeNull();
  });
});

describe("reader queries use indexes, not scans of the articles table", () => {
  async function plan(query: ReturnType<typeof sql>): Promise<string> {
    const db = await getDb();
    // with a handful of rows the planner rightly prefers a scan; forbid it to prove an index serves the query
    return db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute<{ "QUERY PLAN": string }>(sql`explain ${query}`);
      return result.rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  it("full-text search can use the GIN index on the search vector", async () => {
    const text = await plan(sql`select id from articles where search @@ websearch_to_tsquery('english', 'harbour lights')`);
    expect(text).toContain("articles_search_idx");
  });

  it("an article page looks its slug up by index", async () => {
    expect(await plan(sql`select id from articles where slug = 'harbour-lights'`)).toMatch(/Index (Only )?Scan using articles_slug_unique/);
  });

  it("the latest list reads published articles in date order from an index", async () => {
    const text = await plan(sql`select id from articles where status = 'published' and published_at <= now() order by published_at desc limit 20`);
    // the index's own order (no Sort): it carries the id too, so the rows need not be read
    expect(text).toMatch(/Index (Only )?Scan using articles_status_published_at_idx/);
    expect(text).not.toContain("Sort");
    expect(text).not.toContain("Seq Scan on articles");
  });
});
