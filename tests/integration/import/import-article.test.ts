import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles, auditLog, revisions, tags } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getPublishedArticle } from "@/lib/articles/queries";
import { operator } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { ImportError } from "@/lib/import/errors";
import { importArticleFile } from "@/lib/import/import-article";
import { uploadMedia } from "@/lib/media/library";
import { paragraphTexts } from "@/lib/rich-text/plain-text";
import { countRows, docOf, failure } from "../../fixtures/builders";
import { pngOf, useTempMediaStorage } from "../media/helpers";
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

describe("library images named by an imported file", () => {
  useTempMediaStorage();
  const markdownWithImage = (src: string) => new TextEncoder().encode(`---\ntitle: Harbour lights\n---\nThe boats came in.\n\n![The harbour at dusk](${src})\n`);

  it("imports a figure whose /media image is in the library", async () => {
    const image = await uploadMedia(operator, { bytes: await pngOf(800, 500), filename: "harbour.png" });
    const created = await importArticleFile(operator, markdownWithImage(image.url), { fileName: "harbour.md", publish: true });
    const article = await getPublishedArticle(created.slug);
    expect(article!.body.content).toContainEqual(expect.objectContaining({ type: "figure", attrs: expect.objectContaining({ src: image.url, alt: "The harbour at dusk" }) }));
  });

  it("refuses, naming the image, a /media image that is not in the library, and writes nothing", async () => {
    const before = await countRows({ articles, revisions, auditLog });
    const error = await failure(importArticleFile(operator, markdownWithImage(`/media/${randomUUID()}.webp`), { fileName: "harbour.md", publish: true }));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.message).toContain("“The harbour at dusk”) is not in the media library");
    expect(await countRows({ articles, revisions, auditLog })).toEqual(before);
  });

  it("answers an unknown hero image with 400 and a message, not a database error", async () => {
    const before = await countRows({ articles, revisions, auditLog });
    const error = await failure(createArticle(operator, { title: "No such hero", body: docOf("Text."), status: "draft", hero: { mediaId: randomUUID(), alt: "A hero" } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(error.message).toBe("hero: that image is not in the media library");
    expect(await countRows({ articles, revisions, auditLog })).toEqual(before);
  });
});
