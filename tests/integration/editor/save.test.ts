import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articleAuthors, articles, auditLog, revisions, tags } from "@/db/schema";
import { createDraft, getArticleForEditing, saveArticle, StaleVersionError } from "@/lib/articles/editing";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { countRows, docOf, makeStaff } from "../../fixtures/builders";
import { articleRow, auditOf, expectDomainError, makeImage, makeSection, payloadFor, revisionsOf, snapshot, type Staff } from "./helpers";

// createDraft and saveArticle: what a new draft holds, that a save writes every field the editor
// sends, the optimistic version check (409 with the newer copy, never a silent overwrite) and the
// refusals of invalid input (400, and nothing written).

let writer: Staff;
let coAuthor: Staff;
let editor: Staff;

beforeAll(async () => {
  writer = await makeStaff("writer", "Willa Writer");
  coAuthor = await makeStaff("writer", "Cole Coauthor");
  editor = await makeStaff("editor", "Edith Editor");
});

describe("createDraft", () => {
  it("gives a writer an empty draft with themself as the only author, a first revision and an audit entry", async () => {
    const { id } = await createDraft(writer);
    const { article, editable } = await getArticleForEditing(writer, id);
    expect(editable).toBe(true);
    expect(article).toMatchObject({
      id,
      version: 1,
      status: "draft",
      title: "",
      dek: null,
      sectionId: null,
      tags: [],
      authorIds: [writer.id],
      hero: null,
      isFeatured: false,
      publishedAt: null,
      scheduledAt: null,
      createdBy: writer.id,
      corrections: [],
    });
    expect(article.slug).toMatch(/^draft-[a-z0-9]+(-\d+)?$/);
    expect(article.body).toEqual({ type: "doc", content: [{ type: "paragraph" }] });

    const revs = await revisionsOf(id);
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({ version: 1, authorId: writer.id, snapshot: { title: "", slug: article.slug } });
    const audits = await auditOf(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "article.create", actorId: writer.id, entityType: "article", details: { via: "editor" } });
  });

  it("gives two drafts started at once different placeholder slugs", async () => {
    const [a, b] = await Promise.all([createDraft(writer), createDraft(writer)]);
    expect((await articleRow(a.id)).slug).not.toBe((await articleRow(b.id)).slug);
  });
});

describe("saveArticle: every field", () => {
  it("saves title, slug, dek, body, section, new tags, ordered authors, hero, source, SEO, canonical and featured (editor)", async () => {
    const section = await makeSection("Culture");
    const image = await makeImage(editor.id);
    const { id } = await createDraft(editor);
    const body = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "A heading" }] },
        { type: "paragraph", content: [{ type: "text", text: "See ", marks: [{ type: "bold" }] }, { type: "text", text: "the source", marks: [{ type: "link", attrs: { href: "https://example.com/a" } }] }] },
        { type: "figure", attrs: { src: image.src, alt: "A lantern", caption: "Lit", credit: "Photo: E.", mediaId: image.id } },
      ],
    } as const;
    const before = await countRows({ tags });
    const result = await saveArticle(
      editor,
      id,
      await payloadFor(id, {
        title: "  Lanterns over the river  ",
        slug: "lanterns-over-the-river",
        dek: "A festival of light.",
        body: body as never,
        sectionId: section.id,
        tags: ["Festivals", "Night Life", "festivals"],
        authorIds: [coAuthor.id, editor.id],
        hero: { mediaId: image.id, alt: "Lanterns on water", caption: "The river at nine", credit: "Photo: Edith" },
        sourceName: "River Times",
        sourceUrl: "https://rivertimes.example/lanterns",
        seoTitle: "Lanterns | Culture",
        seoDescription: "The lantern festival, night by night.",
        canonicalUrl: "https://rivertimes.example/original",
        isFeatured: true,
      }),
    );
    expect(result).toMatchObject({ version: 2, slug: "lanterns-over-the-river" });
    expect(Number.isNaN(Date.parse(result.updatedAt))).toBe(false);

    const { article } = await getArticleForEditing(editor, id);
    expect(article).toMatchObject({
      version: 2,
      title: "Lanterns over the river",
      slug: "lanterns-over-the-river",
      dek: "A festival of light.",
      body,
      sectionId: section.id,
      // sorted by name; "festivals" is the same tag as "Festivals"
      tags: ["Festivals", "Night Life"],
      authorIds: [coAuthor.id, editor.id],
      hero: { mediaId: image.id, src: image.src, alt: "Lanterns on water", caption: "The river at nine", credit: "Photo: Edith" },
      sourceName: "River Times",
      sourceUrl: "https://rivertimes.example/lanterns",
      seoTitle: "Lanterns | Culture",
      seoDescription: "The lantern festival, night by night.",
      canonicalUrl: "https://rivertimes.example/original",
      isFeatured: true,
    });
    // tags were created on the fly, once each
    expect((await countRows({ tags })).tags).toBe(before.tags! + 2);
    const row = await articleRow(id);
    expect(row.bodyText).toContain("A heading");
    expect(row.bodyText).toContain("the source");
    const db = await getDb();
    const authors = await db.select().from(articleAuthors).where(eq(articleAuthors.articleId, id));
    expect(authors.sort((a, b) => a.position - b.position).map((a) => [a.userId, a.position])).toEqual([
      [coAuthor.id, 0],
      [editor.id, 1],
    ]);

    // the next save replaces tags and authors rather than adding to them, and can clear the hero
    await saveArticle(editor, id, await payloadFor(id, { tags: ["Night Life", "Rivers"], authorIds: [editor.id], hero: null, sourceName: null, sourceUrl: "https://www.harbour.example/x" }));
    const again = (await getArticleForEditing(editor, id)).article;
    expect(again).toMatchObject({ version: 3, tags: ["Night Life", "Rivers"], authorIds: [editor.id], hero: null, sourceName: "harbour.example" });
    expect((await articleRow(id)).heroMediaId).toBeNull();
  });

  it("ignores a writer's isFeatured both ways: featuring is an editor's decision", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Wants the front page", isFeatured: true }));
    expect((await articleRow(id)).isFeatured).toBe(false);

    // an editor features the writer's draft; the writer's next save cannot unfeature it
    await saveArticle(editor, id, await payloadFor(id, { isFeatured: true }));
    expect((await articleRow(id)).isFeatured).toBe(true);
    await saveArticle(writer, id, await payloadFor(id, { title: "Still wants it", isFeatured: false }));
    expect(await articleRow(id)).toMatchObject({ isFeatured: true, title: "Still wants it", version: 4 });
  });

  it("keeps the slug when the save sends an empty one, and the authors when it sends none", async () => {
    const { id } = await createDraft(writer);
    const slug = (await articleRow(id)).slug;
    await saveArticle(writer, id, await payloadFor(id, { slug: "", authorIds: [] }));
    expect(await articleRow(id)).toMatchObject({ slug, version: 2 });
    expect((await getArticleForEditing(writer, id)).article.authorIds).toEqual([writer.id]);
  });

  it("drops a NUL (and other control characters) from the title and plain-text fields", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { title: "Null\u0000 and\u0007 void", dek: "d\u0000ek", seoTitle: "se\u0000o" }));
    expect(await articleRow(id)).toMatchObject({ title: "Null and void", dek: "dek", seoTitle: "seo" });
  });
});

describe("saveArticle: versions", () => {
  it("increments the version on every save and refuses a stale one with 409 carrying the newer copy", async () => {
    const { id } = await createDraft(writer);
    const first = await payloadFor(id, { title: "First take" });
    expect((await saveArticle(writer, id, first)).version).toBe(2);
    expect((await saveArticle(writer, id, await payloadFor(id, { title: "Second take" }))).version).toBe(3);
    const before = await snapshot(id);

    // a save still naming version 1 (or 2) was made without seeing version 3
    for (const version of [1, 2, 99]) {
      const error = await expectDomainError(saveArticle(writer, id, { ...first, version, title: "Overwrite attempt" }), StaleVersionError, 409);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.current).toMatchObject({ id, version: 3, title: "Second take" });
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("lets exactly one of two concurrent saves of the same version through", async () => {
    const { id } = await createDraft(writer);
    const base = await payloadFor(id);
    const outcomes = await Promise.allSettled([
      saveArticle(writer, id, { ...base, title: "From tab A" }),
      saveArticle(editor, id, { ...base, title: "From tab B" }),
    ]);
    const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(StaleVersionError);
    const winner = outcomes[0]!.status === "fulfilled" ? "From tab A" : "From tab B";
    expect(await articleRow(id)).toMatchObject({ version: 2, title: winner });
    expect((rejected[0]!.reason as StaleVersionError).current).toMatchObject({ version: 2, title: winner });
    expect(await revisionsOf(id)).toHaveLength(2);
  });

  it("refuses a missing or non-integer version with 400", async () => {
    const { id } = await createDraft(writer);
    const base = await payloadFor(id);
    for (const version of [0, 1.5, Number.NaN, undefined]) {
      await expectDomainError(saveArticle(writer, id, { ...base, version } as never), ValidationError, 400);
    }
    expect((await articleRow(id)).version).toBe(1);
  });
});

describe("saveArticle: invalid input", () => {
  const script = { type: "doc", content: [{ type: "script", content: [{ type: "text", text: "alert(1)" }] }] };
  const jsLink = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "click", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] };
  const figureWithoutAlt = { type: "doc", content: [{ type: "figure", attrs: { src: "/media/x.png", alt: "" } }] };
  const unsafeImage = { type: "doc", content: [{ type: "figure", attrs: { src: "http://evil.example/x.png", alt: "x" } }] };
  const deepList = () => {
    let list: unknown = { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "deep" }] }] }] };
    for (let i = 0; i < 30_000; i++) list = { type: "bulletList", content: [{ type: "listItem", content: [list] }] };
    return { type: "doc", content: [list] };
  };

  const cases: [string, () => Promise<Record<string, unknown>>, RegExp][] = [
    ["an invalid slug", async () => ({ slug: "Not A Slug!" }), /^slug: /],
    ["a slug with a double hyphen", async () => ({ slug: "two--hyphens" }), /^slug: /],
    ["a body with an unknown (<script>-like) node type", async () => ({ body: script }), /^body: /],
    ["a javascript: link href", async () => ({ body: jsLink }), /^body: /],
    ["a figure without alt text", async () => ({ body: figureWithoutAlt }), /^body: /],
    ["a figure from plain http", async () => ({ body: unsafeImage }), /^body: /],
    [
      "a figure whose library image was deleted (named by its id, or only by its variant's address)",
      async () => ({ body: { type: "doc", content: [{ type: "figure", attrs: { src: `/media/${randomUUID()}-960.webp`, alt: "Gone harbour" } }] } }),
      /^body: an image in the text \(“Gone harbour”\) is not in the media library/,
    ],
    [
      "a figure whose media id is not in the library",
      async () => ({ body: { type: "doc", content: [{ type: "figure", attrs: { src: (await makeImage()).src, alt: "Wrong id", mediaId: randomUUID() } }] } }),
      /^body: an image in the text \(“Wrong id”\) is not in the media library/,
    ],
    ["a body that is not a document", async () => ({ body: "<p>hi</p>" }), /^body: /],
    ["lists nested 30,000 deep (a stack overflow in validation, were depth not checked first)", async () => ({ body: deepList() }), /^body: lists are nested too deeply/],
    ["a title over 300 characters", async () => ({ title: "t".repeat(301) }), /^title: must be at most 300 characters/],
    ["a section id that is not a section", async () => ({ sectionId: randomUUID() }), /^section: that section no longer exists/],
    ["a section id that is not a uuid", async () => ({ sectionId: "culture" }), /^sectionId: /],
    ["an author id that is not on the staff list", async () => ({ authorIds: [writer.id, randomUUID()] }), /^authors: /],
    ["a hero image that is not in the library", async () => ({ hero: { mediaId: randomUUID(), alt: "x" } }), /^hero: that image is not in the media library/],
    ["a source URL that is not http(s)", async () => ({ sourceUrl: "javascript:alert(1)" }), /^sourceUrl: /],
    ["a canonical URL that is not http(s)", async () => ({ canonicalUrl: "ftp://example.com/x" }), /^canonicalUrl: /],
    ["a source name without a URL", async () => ({ sourceName: "Somewhere", sourceUrl: null }), /^sourceUrl: /],
    ["a tag with no letters or digits", async () => ({ tags: ["!!!"] }), /^tags: /],
    ["31 tags", async () => ({ tags: Array.from({ length: 31 }, (_, i) => `tag ${i}`) }), /^tags: at most 30 tags/],
  ];

  for (const [name, changes, message] of cases) {
    it(`refuses ${name} with 400 and changes nothing`, async () => {
      const { id } = await createDraft(writer);
      await saveArticle(writer, id, await payloadFor(id, { title: "Valid so far", tags: ["Kept"] }));
      const before = await snapshot(id);
      const tagCount = await countRows({ tags });
      const error = await expectDomainError(saveArticle(writer, id, await payloadFor(id, (await changes()) as never)), ValidationError, 400);
      expect(error.message).toMatch(message);
      expect(Object.keys(error.fieldErrors).length).toBeGreaterThan(0);
      expect(await snapshot(id)).toEqual(before);
      expect(await countRows({ tags })).toEqual(tagCount);
    });
  }

  it("refuses a slug another article already uses with 400, naming the slug field", async () => {
    const taken = await createDraft(writer);
    await saveArticle(writer, taken.id, await payloadFor(taken.id, { slug: "already-taken" }));
    const { id } = await createDraft(writer);
    const before = await snapshot(id);
    const error = await expectDomainError(saveArticle(writer, id, await payloadFor(id, { slug: "already-taken" })), ValidationError, 400);
    expect(error.fieldErrors).toEqual({ slug: ["another article already uses this address"] });
    expect(await snapshot(id)).toEqual(before);
  });

  it("does not count a refused save as an edit: nothing in revisions or the audit log", async () => {
    const { id } = await createDraft(writer);
    const before = await countRows({ revisions, auditLog, articles });
    await expectDomainError(saveArticle(writer, id, await payloadFor(id, { title: "x".repeat(400) })), ValidationError, 400);
    await expectDomainError(saveArticle(editor, id, await payloadFor(id, { version: 7 })), StaleVersionError, 409);
    const other = await makeStaff("writer");
    await expectDomainError(saveArticle(other, id, await payloadFor(id)), ForbiddenError, 403);
    expect(await countRows({ revisions, auditLog, articles })).toEqual(before);
  });
});

describe("saveArticle: control characters outside the title (PostgreSQL cannot store NUL)", () => {
  // found by these tests: tag names, hero alt text and body text once reached the database with NUL
  it("drops a NUL from a tag name", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { tags: ["Nul\u0000tag"] }));
    expect((await getArticleForEditing(writer, id)).article.tags).toEqual(["Nultag"]);
  });

  it("drops a NUL from the hero's alt text", async () => {
    const image = await makeImage();
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { hero: { mediaId: image.id, alt: "al\u0000t" } }));
    expect((await articleRow(id)).heroAlt).toBe("alt");
  });

  it("drops a NUL from body text", async () => {
    const { id } = await createDraft(writer);
    await saveArticle(writer, id, await payloadFor(id, { body: docOf("nul\u0000here") }));
    expect((await articleRow(id)).bodyText).toBe("nulhere");
  });
});
