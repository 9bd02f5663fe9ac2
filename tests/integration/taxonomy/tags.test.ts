import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articleTags, auditLog, tags, taxonomyRedirects } from "@/db/schema";
import { ConflictError, ValidationError } from "@/lib/errors";
import { getTagRedirect } from "@/lib/redirects/queries";
import { createTag, deleteTag, listTagsForStaff, mergeTag, TAG_PAGE_SIZE, updateTag } from "@/lib/tags/mutations";
import { getTagListing } from "@/lib/tags/queries";
import { countRows, failure, makeStaff } from "../../fixtures/builders";
import { auditEntries, expiredBy, publishedArticle, redirectRows, tagIdsOf, tagRow } from "./helpers";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let editor: Staff;

beforeAll(async () => {
  editor = await makeStaff("editor", "Tariq Tags");
});

const tables = { tags, articleTags, taxonomyRedirects, auditLog };

async function refused(promise: Promise<unknown>, field: string, message: RegExp) {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.status).toBe(400);
  expect(error.message).toMatch(new RegExp(`^${field}: `));
  expect(error.message).toMatch(message);
}

const tagIdBySlug = async (slug: string) => {
  const db = await getDb();
  const [row] = await db.select({ id: tags.id }).from(tags).where(eq(tags.slug, slug));
  return row?.id;
};

describe("createTag", () => {
  it("makes the address from the name and audits it", async () => {
    const created = await createTag(editor, { name: "Climate Change" });
    expect(created.slug).toBe("climate-change");
    expect(await tagRow(created.id)).toMatchObject({ name: "Climate Change" });
    const [entry] = await auditEntries("tag.create", created.id);
    expect(entry).toMatchObject({ actorId: editor.id, entityType: "tag", details: { name: "Climate Change", slug: "climate-change" } });
    expect(await expiredBy(() => createTag(editor, { name: "Cached" }))).toEqual(["tag:cached"]);
  });

  it("refuses an empty name, a bad or taken address, a duplicate name, commas and over-long names with 400, writing nothing", async () => {
    await createTag(editor, { name: "Taken", slug: "taken" });
    const before = await countRows(tables);
    await refused(createTag(editor, { name: "" }), "name", /a name is required/);
    await refused(createTag(editor, { name: "\u0000\u0000" }), "name", /a name is required/);
    await refused(createTag(editor, { name: "—" }), "name", /letter or digit/);
    await refused(createTag(editor, { name: "t".repeat(61) }), "name", /at most 60/);
    await refused(createTag(editor, { name: "Oil, gas" }), "name", /commas/);
    await refused(createTag(editor, { name: "Bad address", slug: "Bad Address" }), "slug", /lower-case letters/);
    await refused(createTag(editor, { name: "Bad address", slug: "bad/address" }), "slug", /lower-case letters/);
    await refused(createTag(editor, { name: "Another", slug: "taken" }), "slug", /taken by the tag “Taken”/);
    await refused(createTag(editor, { name: "  taken " }), "name", /already a tag named “Taken” \(at taken\); merge into it instead/);
    expect(await countRows(tables)).toEqual(before);
  });

  it("drops NUL and other control characters from the name", async () => {
    const created = await createTag(editor, { name: "Ener\u0000gy\u007f" });
    expect(await tagRow(created.id)).toMatchObject({ name: "Energy", slug: "energy" });
  });
});

describe("updateTag", () => {
  it("renames a tag and moves its address, leaving the old one redirecting; expires both and its articles", async () => {
    const t = await createTag(editor, { name: "Sport" });
    const article = await publishedArticle(null, ["Sport"]);
    const expired = await expiredBy(() => updateTag(editor, t.id, { name: "Sports", slug: "sports" }));
    expect(await tagRow(t.id)).toMatchObject({ name: "Sports", slug: "sports" });
    expect(await getTagListing("sport", 1)).toBeNull();
    expect(await getTagRedirect("sport")).toBe("sports");
    expect((await getTagListing("sports", 1))?.items.map((a) => a.slug)).toEqual([article.slug]);
    expect(expired).toEqual(expect.arrayContaining(["tag:sport", "tag:sports", `article:${article.slug}`, "front-page"]));
    const [entry] = await auditEntries("tag.update", t.id);
    expect(entry!.details).toMatchObject({ changes: { name: { from: "Sport", to: "Sports" }, slug: { from: "sport", to: "sports" } } });

    await updateTag(editor, t.id, { name: "Sports", slug: "athletics" });
    expect(await getTagRedirect("sport")).toBe("athletics");
    expect(await getTagRedirect("sports")).toBe("athletics");
  });

  it("keeps the address when the slug field is empty, and refuses one another tag holds", async () => {
    const a = await createTag(editor, { name: "Music" });
    const b = await createTag(editor, { name: "Film" });
    await updateTag(editor, a.id, { name: "Music & Sound", slug: "" });
    expect(await tagRow(a.id)).toMatchObject({ name: "Music & Sound", slug: "music" });
    await refused(updateTag(editor, b.id, { name: "Film", slug: "music" }), "slug", /taken by the tag “Music & Sound”/);
    await refused(updateTag(editor, b.id, { name: "MUSIC & SOUND" }), "name", /already a tag named/);
    // a change of letter case only is the same tag's own name
    await updateTag(editor, b.id, { name: "FILM" });
    expect(await tagRow(b.id)).toMatchObject({ name: "FILM", slug: "film" });
  });
});

describe("an article naming a tag", () => {
  it("gets the tag of that name, in any letter case, even at a changed address, never a second tag of the name", async () => {
    const wildfires = await createTag(editor, { name: "Wildfires" });
    await updateTag(editor, wildfires.id, { name: "Wildfires", slug: "fires" });
    const article = await publishedArticle(null, ["wildfires", "WILDFIRES"]);
    expect(await tagIdsOf(article.id)).toEqual([wildfires.id]);
    expect(await tagIdBySlug("wildfires")).toBeUndefined();
  });
});

describe("listTagsForStaff", () => {
  it("searches by part of the name (wildcards typed literally) and pages 50 at a time, with article counts", async () => {
    for (let i = 1; i <= TAG_PAGE_SIZE + 5; i++) await createTag(editor, { name: `Paged ${String(i).padStart(3, "0")}` });
    await createTag(editor, { name: "100% pure" });
    await publishedArticle(null, ["Paged 001", "Paged 002"]);
    await publishedArticle(null, ["Paged 001"], "draft");
    const first = await listTagsForStaff(editor, { query: "paged" });
    expect(first).toMatchObject({ total: TAG_PAGE_SIZE + 5, totalPages: 2, page: 1 });
    expect(first.items).toHaveLength(TAG_PAGE_SIZE);
    expect(first.items[0]).toMatchObject({ name: "Paged 001", articles: 2 });
    expect(first.items[1]).toMatchObject({ name: "Paged 002", articles: 1 });
    const second = await listTagsForStaff(editor, { query: "paged", page: 2 });
    expect(second.items.map((t) => t.name)).toEqual(["Paged 051", "Paged 052", "Paged 053", "Paged 054", "Paged 055"]);
    expect((await listTagsForStaff(editor, { query: "0% p" })).items.map((t) => t.name)).toEqual(["100% pure"]);
    expect((await listTagsForStaff(editor, { query: "%" })).items.map((t) => t.name)).toEqual(["100% pure"]);
    expect((await listTagsForStaff(editor, { query: "_" })).total).toBe(0);
    expect((await listTagsForStaff(editor)).total).toBeGreaterThan(TAG_PAGE_SIZE + 5);
  });
});

describe("mergeTag", () => {
  it("gives every article of the source the target, deletes the source, and redirects its address", async () => {
    const source = await createTag(editor, { name: "Global warming" });
    const target = await createTag(editor, { name: "Climate" });
    const onlySource = await publishedArticle(null, ["Global warming", "Oceans"]);
    const both = await publishedArticle(null, ["Global warming", "Climate"]);
    const draft = await publishedArticle(null, ["Global warming"], "draft");
    const onlyTarget = await publishedArticle(null, ["Climate"]);
    const oceans = (await tagIdBySlug("oceans"))!;

    const expired = await expiredBy(async () => {
      const result = await mergeTag(editor, source.id, { into: "climate" });
      expect(result).toMatchObject({ into: { id: target.id, slug: "climate", name: "Climate" }, articles: 3 });
    });
    expect(await tagRow(source.id)).toBeUndefined();
    expect(await tagIdsOf(onlySource.id)).toEqual([target.id, oceans].sort());
    expect(await tagIdsOf(both.id)).toEqual([target.id]);
    expect(await tagIdsOf(draft.id)).toEqual([target.id]);
    expect(await tagIdsOf(onlyTarget.id)).toEqual([target.id]);
    expect(await getTagRedirect("global-warming")).toBe("climate");
    expect(await getTagListing("global-warming", 1)).toBeNull();
    expect((await getTagListing("climate", 1))?.items.map((a) => a.slug).sort()).toEqual([onlySource.slug, both.slug, onlyTarget.slug].sort());
    expect(expired).toEqual(expect.arrayContaining(["tag:global-warming", "tag:climate", "tag:oceans", `article:${onlySource.slug}`, `article:${both.slug}`]));
    expect(expired).not.toContain(`article:${draft.slug}`);
    const [entry] = await auditEntries("tag.merge", source.id);
    expect(entry).toMatchObject({ actorId: editor.id, entityType: "tag", details: { name: "Global warming", slug: "global-warming", into: { id: target.id, slug: "climate" }, articles: 3 } });
  });

  it("carries the source's older addresses over to the target, and finds the target by name too", async () => {
    const source = await createTag(editor, { name: "Cars" });
    await updateTag(editor, source.id, { name: "Cars", slug: "automobiles" });
    const target = await createTag(editor, { name: "Transport" });
    const expired = await expiredBy(() => mergeTag(editor, source.id, { into: "  TRANSPORT " }));
    expect(await getTagRedirect("cars")).toBe("transport");
    expect(await getTagRedirect("automobiles")).toBe("transport");
    expect((await redirectRows("tag")).filter((r) => r.tagId === target.id).map((r) => r.fromSlug).sort()).toEqual(["automobiles", "cars"]);
    expect(expired).toEqual(expect.arrayContaining(["tag:cars", "tag:automobiles", "tag:transport"]));
    // renaming the target later moves every redirect with it
    await updateTag(editor, target.id, { name: "Transport", slug: "mobility" });
    for (const old of ["cars", "automobiles", "transport"]) expect(await getTagRedirect(old)).toBe("mobility");
  });

  it("refuses an unknown target, the tag itself, and an empty field with 400, writing nothing", async () => {
    const t = await createTag(editor, { name: "Lonely" });
    const before = await countRows(tables);
    await refused(mergeTag(editor, t.id, { into: "no-such-tag" }), "into", /no tag named or at “no-such-tag”/);
    await refused(mergeTag(editor, t.id, { into: "lonely" }), "into", /into itself/);
    await refused(mergeTag(editor, t.id, { into: "  " }), "into", /name the tag/);
    await refused(mergeTag(editor, t.id, {}), "into", /name the tag/);
    expect(await countRows(tables)).toEqual(before);
  });

  it("lets a live tag at an old address win over the redirect", async () => {
    const source = await createTag(editor, { name: "Space" });
    await createTag(editor, { name: "Astronomy" });
    await mergeTag(editor, source.id, { into: "astronomy" });
    expect(await getTagRedirect("space")).toBe("astronomy");
    // the article editor creates tags by name: "Space" comes back as a tag of its own
    await publishedArticle(null, ["Space"]);
    expect(await getTagRedirect("space")).toBeNull();
    expect((await getTagListing("space", 1))?.tag.name).toBe("Space");
  });
});

describe("deleteTag", () => {
  it("takes the tag off every article, deletes it and its old addresses, expires what showed it, and audits it", async () => {
    const doomed = await createTag(editor, { name: "Heatwave" });
    await updateTag(editor, doomed.id, { name: "Heatwave", slug: "heat-wave" });
    const published = await publishedArticle(null, ["Heatwave", "Summer"]);
    const draft = await publishedArticle(null, ["Heatwave"], "draft");
    const summer = (await tagIdBySlug("summer"))!;

    const expired = await expiredBy(async () => {
      expect(await deleteTag(editor, doomed.id, { confirm: "yes" })).toEqual({ name: "Heatwave", articles: 2 });
    });
    expect(await tagRow(doomed.id)).toBeUndefined();
    expect(await tagIdsOf(published.id)).toEqual([summer]);
    expect(await tagIdsOf(draft.id)).toEqual([]);
    // both addresses answer 404: no tag, no redirect
    for (const slug of ["heat-wave", "heatwave"]) {
      expect(await getTagListing(slug, 1)).toBeNull();
      expect(await getTagRedirect(slug)).toBeNull();
    }
    expect((await redirectRows("tag")).filter((r) => r.tagId === doomed.id)).toEqual([]);
    expect(expired).toEqual(expect.arrayContaining(["tag:heat-wave", "tag:heatwave", "tag:summer", `article:${published.slug}`, "front-page", "feed", "sitemap", "search"]));
    expect(expired).not.toContain(`article:${draft.slug}`);
    const [entry] = await auditEntries("tag.delete", doomed.id);
    expect(entry).toMatchObject({ actorId: editor.id, entityType: "tag", details: { name: "Heatwave", slug: "heat-wave", articles: 2 } });
  });

  it("deletes an unused tag without asking, and expires its listing", async () => {
    const unused = await createTag(editor, { name: "Unused" });
    expect(await expiredBy(() => deleteTag(editor, unused.id))).toEqual(["tag:unused"]);
    expect(await tagRow(unused.id)).toBeUndefined();
  });

  it("refuses a tag on articles without the confirmation with 409 naming the count, writing nothing", async () => {
    const kept = await createTag(editor, { name: "Drought" });
    const article = await publishedArticle(null, ["Drought"]);
    const before = await countRows(tables);
    for (const input of [{}, { confirm: "" }, { confirm: "no" }, { confirm: "YES " }]) {
      const error = await failure(deleteTag(editor, kept.id, input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(ConflictError);
      expect(error.status).toBe(409);
      expect(error.message).toMatch(/“Drought” is on 1 article\. Tick “Take it off”.*merge it into another tag/);
    }
    expect(await countRows(tables)).toEqual(before);
    expect(await tagIdsOf(article.id)).toEqual([kept.id]);
  });
});
