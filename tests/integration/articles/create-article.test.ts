import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articleAuthors, articles, articleTags, auditLog, redirects, revisions, sections, tags } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getPublishedArticle, listLatestArticles } from "@/lib/articles/queries";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { countRows, docOf, makeStaff } from "../../fixtures/builders";

const contentTables = { articles, articleAuthors, articleTags, revisions, auditLog, tags };

describe("createArticle", () => {
  it("writes the article, its ordered authors, tags, first revision and an audit entry", async () => {
    const db = await getDb();
    await db.insert(sections).values({ slug: "world", name: "World" });
    const lead = await makeStaff("editor", "Lena Lead");
    const second = await makeStaff("writer", "Sam Second");
    const created = await createArticle(lead, {
      title: "Harbour lights return",
      dek: "A small town relights its harbour.",
      body: docOf("First.", "Second."),
      section: "world",
      tags: ["Coast", "Night Life"],
      authors: [lead.slug, second.name],
      sourceUrl: "https://www.example.com/harbour",
      status: "published",
    });
    expect(created).toMatchObject({ slug: "harbour-lights-return", status: "published" });
    expect(created.touched).toEqual(expect.arrayContaining(["article:harbour-lights-return", "front-page", "feed", "section:world", "tag:coast", "tag:night-life"]));

    const article = await getPublishedArticle("harbour-lights-return");
    expect(article).toMatchObject({
      title: "Harbour lights return",
      section: { slug: "world", name: "World" },
      authors: [{ name: "Lena Lead" }, { name: "Sam Second" }],
      tags: [{ slug: "coast" }, { slug: "night-life" }],
      sourceName: "example.com",
      sourceUrl: "https://www.example.com/harbour",
    });
    const [revision] = await db.select().from(revisions).where(eq(revisions.articleId, created.id));
    expect(revision).toMatchObject({ version: 1, authorId: lead.id });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(audit).toMatchObject({ action: "article.create_published", actorId: lead.id });
  });

  it("keeps drafts out of every reader query", async () => {
    const writer = await makeStaff("writer");
    const draft = await createArticle(writer, { title: "Secret draft", body: docOf("Not yet.") });
    expect(draft.status).toBe("draft");
    expect(draft.touched).toEqual([]);
    expect(await getPublishedArticle(draft.slug)).toBeNull();
    expect((await listLatestArticles({ limit: 100 })).map((a) => a.slug)).not.toContain(draft.slug);
  });

  it("keeps a future-dated article hidden until its time", async () => {
    const editor = await makeStaff("editor");
    const future = await createArticle(editor, { title: "Tomorrow’s news", body: docOf("Soon."), status: "published", publishedAt: new Date(Date.now() + 3_600_000) });
    expect(await getPublishedArticle(future.slug)).toBeNull();
  });

  it("gives a second article with the same headline its own slug", async () => {
    const editor = await makeStaff("editor");
    const first = await createArticle(editor, { title: "Same headline", body: docOf("a") });
    const second = await createArticle(editor, { title: "Same headline", body: docOf("b") });
    expect([first.slug, second.slug]).toEqual(["same-headline", "same-headline-2"]);
  });

  it("never takes an address that forwards to another article (a renamed story's old address)", async () => {
    const editor = await makeStaff("editor");
    const renamed = await createArticle(editor, { title: "Budget vote delayed", body: docOf("a"), status: "published" });
    const db = await getDb();
    await db.insert(redirects).values({ fromPath: "/article/budget-vote", articleId: renamed.id });
    const imported = await createArticle(editor, { title: "Budget vote", body: docOf("b") });
    expect(imported.slug).toBe("budget-vote-2");
    const explicit = await createArticle(editor, { title: "Another", slug: "budget-vote", body: docOf("c") });
    expect(explicit.slug).toBe("budget-vote-3");
  });

  it("refuses writers who try to publish, and writes nothing", async () => {
    const writer = await makeStaff("writer");
    const before = await countRows(contentTables);
    await expect(createArticle(writer, { title: "Sneaky", body: docOf("x"), status: "published" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await countRows(contentTables)).toEqual(before);
  });

  it("rolls everything back when a later step fails: no article, no new tags", async () => {
    const editor = await makeStaff("editor");
    const before = await countRows(contentTables);
    await expect(
      createArticle(editor, { title: "Half", body: docOf("x"), tags: ["Brand New Tag"], authors: ["nobody-by-this-name"] }),
    ).rejects.toThrow(/author "nobody-by-this-name" is not on the staff list/);
    expect(await countRows(contentTables)).toEqual(before);
  });

  it("refuses bodies outside the allow-list with a message naming the problem", async () => {
    const editor = await makeStaff("editor");
    const bad = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] };
    await expect(createArticle(editor, { title: "Bad link", body: bad as never })).rejects.toThrow(ValidationError);
    await expect(createArticle(editor, { title: "  ", body: docOf("x") })).rejects.toThrow(/title: a headline is required/);
  });

  it("names the known sections when the section does not exist", async () => {
    const editor = await makeStaff("editor");
    await expect(createArticle(editor, { title: "Lost", body: docOf("x"), section: "sport" })).rejects.toThrow(/section "sport" does not exist; use one of: /);
  });
});
