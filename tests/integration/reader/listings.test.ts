import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { sections } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getFrontPage, getPublishedArticle, listRelatedArticles, type ArticleSummary } from "@/lib/articles/queries";
import type { NewArticleInput } from "@/lib/articles/validation";
import { getAuthorListing } from "@/lib/authors/queries";
import { PAGE_SIZE } from "@/lib/pagination";
import { getSectionListing } from "@/lib/sections/queries";
import { getTagListing } from "@/lib/tags/queries";
import { docOf, makeStaff } from "../../fixtures/builders";

// Every test file gets a fresh database; the tests in this file share it and run in order.
// The front-page block comes first, while it is the only content in the database.

const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);
const inFuture = () => new Date(Date.now() + 24 * HOUR);

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let editor: Staff;

async function published(title: string, publishedAt: Date, extra: Partial<NewArticleInput> = {}) {
  return createArticle(editor, { title, body: docOf(`Body of ${title}.`), status: "published", publishedAt, ...extra });
}
async function draft(title: string, extra: Partial<NewArticleInput> = {}) {
  return createArticle(editor, { title, body: docOf(`Body of ${title}.`), ...extra });
}
async function addSections(...rows: { slug: string; name: string; position: number }[]) {
  const db = await getDb();
  await db.insert(sections).values(rows);
}
const slugsOf = (items: ArticleSummary[]) => items.map((item) => item.slug);

beforeAll(async () => {
  editor = await makeStaff("editor", "Eddie Editor");
});

describe("front page", () => {
  const newestFirst: string[] = [];
  let hidden: string[] = [];

  beforeAll(async () => {
    await addSections({ slug: "front-b", name: "Front B", position: 2 }, { slug: "front-a", name: "Front A", position: 1 }, { slug: "front-empty", name: "Front Empty", position: 3 });
    for (let i = 1; i <= 16; i++) {
      const created = await published(`Front story ${i}`, hoursAgo(i), { section: i % 2 ? "front-a" : "front-b" });
      newestFirst.push(created.slug);
    }
    hidden = [
      (await draft("Front draft", { section: "front-a" })).slug,
      (await draft("Front empty-section draft", { section: "front-empty" })).slug,
      (await published("Front future story", inFuture(), { section: "front-a", isFeatured: true })).slug,
    ];
  });

  it("leads with the newest published article when nothing is featured; top and latest follow without repeating it", async () => {
    const page = await getFrontPage();
    expect(page.lead?.slug).toBe(newestFirst[0]);
    expect(slugsOf(page.top)).toEqual(newestFirst.slice(1, 5));
    expect(slugsOf(page.latest)).toEqual(newestFirst.slice(5, 15));
  });

  it("never shows drafts or future-dated articles (not even a featured future one as the lead)", async () => {
    const page = await getFrontPage();
    const shown = [page.lead!, ...page.top, ...page.latest, ...page.sections.flatMap((s) => s.articles)].map((a) => a.slug);
    for (const slug of hidden) expect(shown).not.toContain(slug);
  });

  it("makes a featured article the lead even when it is older, and top/latest do not repeat it", async () => {
    const featured = await published("Front featured story", hoursAgo(30), { section: "front-b", isFeatured: true });
    const page = await getFrontPage();
    expect(page.lead).toMatchObject({ slug: featured.slug, isFeatured: true });
    expect(slugsOf(page.top)).toEqual(newestFirst.slice(0, 4));
    expect(slugsOf(page.latest)).toEqual(newestFirst.slice(4, 14));
    const listed = [...page.top, ...page.latest].map((a) => a.slug);
    expect(listed).not.toContain(featured.slug);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("shows one block per section with published work, in section order, newest four first", async () => {
    const page = await getFrontPage();
    expect(page.sections.map((s) => s.slug)).toEqual(["front-a", "front-b"]);
    const [a, b] = page.sections;
    expect(a!.name).toBe("Front A");
    expect(slugsOf(a!.articles)).toEqual(newestFirst.filter((_, i) => (i + 1) % 2 === 1).slice(0, 4));
    expect(slugsOf(b!.articles)).toEqual(newestFirst.filter((_, i) => (i + 1) % 2 === 0).slice(0, 4));
    for (const block of page.sections) for (const article of block.articles) expect(article.section?.slug).toBe(block.slug);
  });
});

describe("section listing", () => {
  const science: string[] = []; // newest first
  const outsiders: string[] = [];

  beforeAll(async () => {
    await addSections({ slug: "science", name: "Science", position: 10 }, { slug: "arts", name: "Arts", position: 11 }, { slug: "quiet", name: "Quiet", position: 12 });
    for (let i = 0; i < PAGE_SIZE + 3; i++) science.push((await published(`Science story ${i}`, hoursAgo(100 + i), { section: "science" })).slug);
    outsiders.push(
      (await draft("Science draft", { section: "science" })).slug,
      (await published("Science from the future", inFuture(), { section: "science" })).slug,
      (await published("Arts story", hoursAgo(99), { section: "arts" })).slug,
      (await published("Story without a section", hoursAgo(99))).slug,
    );
    await draft("Quiet draft", { section: "quiet" });
  });

  it("fills page 1 with PAGE_SIZE articles, newest first, and page 2 with the rest", async () => {
    const first = await getSectionListing("science", 1);
    expect(first).toMatchObject({ section: { slug: "science", name: "Science", description: null }, page: 1, total: PAGE_SIZE + 3, totalPages: 2 });
    expect(slugsOf(first!.items)).toEqual(science.slice(0, PAGE_SIZE));
    const second = await getSectionListing("science", 2);
    expect(second).toMatchObject({ page: 2, total: PAGE_SIZE + 3, totalPages: 2 });
    expect(slugsOf(second!.items)).toEqual(science.slice(PAGE_SIZE));
  });

  it("returns null past the last page and for an unknown section", async () => {
    expect(await getSectionListing("science", 3)).toBeNull();
    expect(await getSectionListing("no-such-section", 1)).toBeNull();
  });

  it("never lists drafts, future-dated articles or other sections' articles", async () => {
    const all = [...(await getSectionListing("science", 1))!.items, ...(await getSectionListing("science", 2))!.items];
    for (const slug of outsiders) expect(slugsOf(all)).not.toContain(slug);
    expect(all.every((a) => a.section?.slug === "science")).toBe(true);
  });

  it("gives a section with only drafts an empty first page (not a published draft), and null after it", async () => {
    expect(await getSectionListing("quiet", 1)).toMatchObject({ items: [], total: 0, totalPages: 1, page: 1 });
    expect(await getSectionListing("quiet", 2)).toBeNull();
  });
});

describe("tag listing", () => {
  const tagged: string[] = [];
  const outsiders: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < PAGE_SIZE + 1; i++) tagged.push((await published(`Volcano story ${i}`, hoursAgo(200 + i), { tags: ["Volcanoes", `Extra ${i % 3}`] })).slug);
    outsiders.push(
      (await draft("Volcano draft", { tags: ["Volcanoes"] })).slug,
      (await published("Volcano from the future", inFuture(), { tags: ["Volcanoes"] })).slug,
      (await published("Glacier story", hoursAgo(199), { tags: ["Glaciers"] })).slug,
    );
  });

  it("pages through the tag's published articles: PAGE_SIZE, then the rest, then null", async () => {
    const first = await getTagListing("volcanoes", 1);
    expect(first).toMatchObject({ tag: { slug: "volcanoes", name: "Volcanoes" }, page: 1, total: PAGE_SIZE + 1, totalPages: 2 });
    expect(slugsOf(first!.items)).toEqual(tagged.slice(0, PAGE_SIZE));
    const second = await getTagListing("volcanoes", 2);
    expect(slugsOf(second!.items)).toEqual(tagged.slice(PAGE_SIZE));
    expect(await getTagListing("volcanoes", 3)).toBeNull();
  });

  it("never lists drafts, future-dated or untagged articles", async () => {
    const all = [...(await getTagListing("volcanoes", 1))!.items, ...(await getTagListing("volcanoes", 2))!.items];
    for (const slug of outsiders) expect(slugsOf(all)).not.toContain(slug);
  });

  it("returns null for an unknown tag", async () => {
    expect(await getTagListing("no-such-tag", 1)).toBeNull();
  });
});

describe("author listing", () => {
  let ada: Staff;
  let draftOnly: Staff;
  let nobody: Staff;
  const byAda: string[] = [];
  const outsiders: string[] = [];

  beforeAll(async () => {
    ada = await makeStaff("writer", "Ada Author");
    draftOnly = await makeStaff("writer", "Dora Draft");
    nobody = await makeStaff("writer", "Nora Nothing");
    const other = await makeStaff("writer", "Otto Other");
    for (let i = 0; i < PAGE_SIZE + 2; i++) byAda.push((await published(`Ada story ${i}`, hoursAgo(300 + i), { authors: i % 2 ? [ada.slug] : [other.slug, ada.slug] })).slug);
    outsiders.push(
      (await draft("Ada draft", { authors: [ada.slug] })).slug,
      (await published("Ada from the future", inFuture(), { authors: [ada.slug] })).slug,
      (await published("Otto alone", hoursAgo(299), { authors: [other.slug] })).slug,
    );
    await draft("Dora's only draft", { authors: [draftOnly.slug] });
    await published("Dora's future piece", inFuture(), { authors: [draftOnly.slug] });
  });

  it("pages through every published article the author is on, including shared bylines", async () => {
    const first = await getAuthorListing(ada.slug, 1);
    expect(first).toMatchObject({ author: { slug: ada.slug, name: "Ada Author" }, page: 1, total: PAGE_SIZE + 2, totalPages: 2 });
    expect(slugsOf(first!.items)).toEqual(byAda.slice(0, PAGE_SIZE));
    const second = await getAuthorListing(ada.slug, 2);
    expect(slugsOf(second!.items)).toEqual(byAda.slice(PAGE_SIZE));
    expect(await getAuthorListing(ada.slug, 3)).toBeNull();
    const all = [...first!.items, ...second!.items];
    for (const slug of outsiders) expect(slugsOf(all)).not.toContain(slug);
  });

  it("exposes only the public profile: no email, role or sign-in data", async () => {
    const listing = await getAuthorListing(ada.slug, 1);
    expect(Object.keys(listing!.author).sort()).toEqual(["bio", "name", "photo", "slug"]);
    const json = JSON.stringify(listing);
    expect(json).not.toContain("@example.test");
    expect(json).not.toMatch(/"(email|role|passwordHash|sessionVersion)"/);
  });

  it("returns null for staff with no published work (drafts or future pieces only, or nothing) and for unknown slugs", async () => {
    expect(await getAuthorListing(draftOnly.slug, 1)).toBeNull();
    expect(await getAuthorListing(nobody.slug, 1)).toBeNull();
    expect(await getAuthorListing("no-such-author", 1)).toBeNull();
  });
});

describe("related articles", () => {
  it("excludes the article itself and drafts, and ranks shared tags above the shared section, then newest", async () => {
    await addSections({ slug: "nature", name: "Nature", position: 20 }, { slug: "elsewhere", name: "Elsewhere", position: 21 });
    const base = await published("Owls of the old forest", hoursAgo(500), { section: "nature", tags: ["Owls", "Forests"] });
    const twoTags = await published("Forest owls at night", hoursAgo(520), { section: "elsewhere", tags: ["Owls", "Forests"] });
    const oneTag = await published("Owl pellets explained", hoursAgo(510), { section: "elsewhere", tags: ["Owls"] });
    const sameSection = await published("Mushroom season", hoursAgo(490), { section: "nature" });
    const hiddenDraft = await draft("Owls and forests: the draft", { section: "nature", tags: ["Owls", "Forests"] });
    const hiddenFuture = await published("Owls and forests: tomorrow", inFuture(), { section: "nature", tags: ["Owls", "Forests"] });

    const article = await getPublishedArticle(base.slug);
    const related = await listRelatedArticles(article!.id, "nature", base.slug);
    const slugs = slugsOf(related);
    expect(slugs.slice(0, 3)).toEqual([twoTags.slug, oneTag.slug, sameSection.slug]);
    expect(slugs).toHaveLength(4);
    expect(slugs).not.toContain(base.slug);
    expect(slugs).not.toContain(hiddenDraft.slug);
    expect(slugs).not.toContain(hiddenFuture.slug);
  });
});
