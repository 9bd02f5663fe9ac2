import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles, tags } from "@/db/schema";
import { getPublishedArticle } from "@/lib/articles/queries";
import { operator } from "@/lib/auth/permissions";
import { ImportError } from "@/lib/import/errors";
import { importArticleFile } from "@/lib/import/import-article";
import { paragraphTexts } from "@/lib/rich-text/plain-text";
import { countRows } from "../../fixtures/builders";
import { readShared, sampleArticleParagraphs } from "../../fixtures/shared";

describe("importing the sample article", () => {
  it("publishes the headline, every body paragraph in order and the Go To Source link", async () => {
    const created = await importArticleFile(operator, readShared("seed-article.txt"), {
      fileName: "seed-article.txt",
      publish: true,
      sourceUrl: "https://example.com/original",
    });
    const article = await getPublishedArticle(created.slug);
    const sample = sampleArticleParagraphs();
    expect(article?.title).toBe("Putin on the fritz? U.S. not buying Russia’s deescalation talk.");
    const paragraphs = paragraphTexts(article!.body);
    expect(paragraphs).toHaveLength(sample.paragraphs.length);
    sample.paragraphs.forEach((expected, index) => expect(paragraphs[index], `paragraph ${index + 1}`).toBe(expected));
    expect(article).toMatchObject({ sourceUrl: "https://example.com/original", sourceName: "example.com" });
  });

  it("saves a draft without --publish", async () => {
    const created = await importArticleFile(operator, readShared("seed-article.txt"), { fileName: "seed-article.txt", sourceUrl: "https://example.com/original" });
    expect(created.status).toBe("draft");
    expect(await getPublishedArticle(created.slug)).toBeNull();
    const db = await getDb();
    const [row] = await db.select({ status: articles.status }).from(articles).where(eq(articles.slug, created.slug));
    expect(row?.status).toBe("draft");
  });

  it("imports nothing from a bad file", async () => {
    const before = await countRows({ articles, tags });
    const markdown = new TextEncoder().encode("---\ntitle: A\ntags: [fresh-tag]\nsection: no-such-section\n---\nBody.\n");
    await expect(importArticleFile(operator, markdown, { fileName: "a.md", publish: true })).rejects.toThrow(ImportError);
    await expect(importArticleFile(operator, new Uint8Array(), { fileName: "a.txt" })).rejects.toThrow("the file is empty");
    expect(await countRows({ articles, tags })).toEqual(before);
  });
});
