import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles, auditLog, sections, taxonomyRedirects } from "@/db/schema";
import { getSectionRedirect } from "@/lib/redirects/queries";
import { ConflictError, ValidationError } from "@/lib/errors";
import { createSection, deleteSection, listSectionsForStaff, moveSection, updateSection } from "@/lib/sections/mutations";
import { getSectionListing, listSections } from "@/lib/sections/queries";
import { countRows, failure, makeStaff } from "../../fixtures/builders";
import { auditEntries, expiredBy, publishedArticle, redirectRows, sectionOrder, sectionRow } from "./helpers";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let admin: Staff;

beforeAll(async () => {
  admin = await makeStaff("admin", "Selma Sections");
});

const tables = { sections, taxonomyRedirects, auditLog };

async function refused(promise: Promise<unknown>, field: string, message: RegExp) {
  const error = await failure(promise);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.status).toBe(400);
  expect(error.message).toMatch(new RegExp(`^${field}: `));
  expect(error.message).toMatch(message);
  expect((error as ValidationError).fieldErrors[field]?.length).toBeGreaterThan(0);
}

describe("createSection", () => {
  it("makes the address from the name, puts the section last, and audits it", async () => {
    const first = await createSection(admin, { name: "Science & Nature", description: "  Discoveries.  " });
    const second = await createSection(admin, { name: "Zoë’s Café" });
    expect(first.slug).toBe("science-nature");
    expect(second.slug).toBe("zoes-cafe");
    expect(await sectionRow(first.id)).toMatchObject({ name: "Science & Nature", description: "Discoveries." });
    const order = await sectionOrder();
    expect(order.indexOf("zoes-cafe")).toBe(order.indexOf("science-nature") + 1);
    expect(order.at(-1)).toBe("zoes-cafe");
    const [entry] = await auditEntries("section.create", first.id);
    expect(entry).toMatchObject({ actorId: admin.id, entityType: "section", details: { name: "Science & Nature", slug: "science-nature" } });
    expect((await listSections()).map((s) => s.slug)).toContain("science-nature");
  });

  it("takes a given address, and gives a name-made one a number when it is taken", async () => {
    const given = await createSection(admin, { name: "Opinion pieces", slug: "opinion" });
    expect(given.slug).toBe("opinion");
    const numbered = await createSection(admin, { name: "Opinion" });
    expect(numbered.slug).toBe("opinion-2");
  });

  it("expires the navigation and the new address", async () => {
    const expired = await expiredBy(() => createSection(admin, { name: "Fresh cache" }));
    expect(expired).toEqual(expect.arrayContaining(["sections", "section:fresh-cache"]));
  });

  it("refuses an empty name, a bad or taken address, a duplicate name, and over-long text with 400, writing nothing", async () => {
    await createSection(admin, { name: "Taken", slug: "taken" });
    const before = await countRows(tables);
    await refused(createSection(admin, { name: "" }), "name", /a name is required/);
    await refused(createSection(admin, { name: "   \u0000  " }), "name", /a name is required/);
    await refused(createSection(admin, { name: "!!! ???" }), "name", /letter or digit/);
    await refused(createSection(admin, { name: "x".repeat(301) }), "name", /at most 300/);
    for (const slug of ["World News", "world_news", "-world", "world--news", "wörld", "a".repeat(81), "../etc"]) {
      await refused(createSection(admin, { name: `Bad ${slug}`, slug }), "slug", /lower-case letters/);
    }
    await refused(createSection(admin, { name: "Another taken", slug: "taken" }), "slug", /taken by the section “Taken”/);
    await refused(createSection(admin, { name: "TAKEN" }), "name", /already a section named “Taken”/);
    await refused(createSection(admin, { name: "Long text", description: "d".repeat(1001) }), "description", /at most 1,000/);
    expect(await countRows(tables)).toEqual(before);
  });

  it("drops control characters (NUL above all) from the name and description", async () => {
    const created = await createSection(admin, { name: "Cul\u0000ture\u0007", description: "Arts\u0000 and\u001b letters\nand more" });
    expect(created.slug).toBe("culture");
    expect(await sectionRow(created.id)).toMatchObject({ name: "Culture", description: "Arts and letters\nand more" });
  });
});

describe("updateSection", () => {
  it("renames a section; an empty address keeps the current one; audits what changed", async () => {
    const s = await createSection(admin, { name: "Travel" });
    await updateSection(admin, s.id, { name: "Travel & Leisure", slug: "", description: "Going places" });
    expect(await sectionRow(s.id)).toMatchObject({ name: "Travel & Leisure", slug: "travel", description: "Going places" });
    const [entry] = await auditEntries("section.update", s.id);
    expect(entry!.details).toMatchObject({ changes: { name: { from: "Travel", to: "Travel & Leisure" }, description: true } });
    expect((await redirectRows("section")).filter((r) => r.sectionId === s.id)).toEqual([]);
  });

  it("writes nothing when nothing changed", async () => {
    const s = await createSection(admin, { name: "Steady", description: "Same" });
    const before = await countRows(tables);
    const expired = await expiredBy(() => updateSection(admin, s.id, { name: "Steady", slug: "steady", description: "Same" }));
    expect(await countRows(tables)).toEqual(before);
    expect(expired).toEqual([]);
  });

  it("leaves the old address redirecting to the new one, through any number of changes", async () => {
    const s = await createSection(admin, { name: "Business" });
    const article = await publishedArticle("business");
    await updateSection(admin, s.id, { name: "Business", slug: "economy" });
    expect(await getSectionListing("business", 1)).toBeNull();
    expect(await getSectionRedirect("business")).toBe("economy");
    expect((await getSectionListing("economy", 1))?.items.map((a) => a.slug)).toEqual([article.slug]);

    // a second change: both old addresses lead to the newest, without a chain
    const expired = await expiredBy(() => updateSection(admin, s.id, { name: "Money", slug: "money" }));
    expect(await getSectionRedirect("business")).toBe("money");
    expect(await getSectionRedirect("economy")).toBe("money");
    expect(await getSectionRedirect("money")).toBeNull();
    // the navigation, every address the section had, and its article's pages
    expect(expired).toEqual(expect.arrayContaining(["sections", "section:business", "section:economy", "section:money", `article:${article.slug}`, "front-page", "feed", "sitemap"]));

    // back to an old address: it is live again, no longer a redirect
    await updateSection(admin, s.id, { name: "Money", slug: "business" });
    expect(await getSectionRedirect("business")).toBeNull();
    expect(await getSectionRedirect("money")).toBe("business");
    expect((await redirectRows("section")).filter((r) => r.sectionId === s.id).map((r) => r.fromSlug).sort()).toEqual(["economy", "money"]);
    const changes = (await auditEntries("section.update", s.id)).map((e) => (e.details.changes as { slug?: unknown }).slug);
    expect(changes).toEqual(expect.arrayContaining([{ from: "business", to: "economy" }, { from: "economy", to: "money" }, { from: "money", to: "business" }]));
  });

  it("refuses an address another section has, now or as its old address", async () => {
    const a = await createSection(admin, { name: "Alpha", slug: "alpha" });
    const b = await createSection(admin, { name: "Beta", slug: "beta" });
    await updateSection(admin, a.id, { name: "Alpha", slug: "alpha-new" });
    await refused(updateSection(admin, b.id, { name: "Beta", slug: "alpha-new" }), "slug", /taken by the section “Alpha”/);
    await refused(updateSection(admin, b.id, { name: "Beta", slug: "alpha" }), "slug", /taken by the section “Alpha”/);
    await refused(updateSection(admin, b.id, { name: "alpha" }), "name", /already a section named/);
    // a name-made address skips old addresses too: "alpha" still leads to Alpha
    expect((await createSection(admin, { name: "Alpha!" })).slug).toBe("alpha-2");
    expect(await getSectionRedirect("alpha")).toBe("alpha-new");
    expect(await sectionRow(b.id)).toMatchObject({ slug: "beta", name: "Beta" });
  });
});

describe("moveSection", () => {
  it("swaps a section with its neighbour, and does nothing past either end", async () => {
    const db = await getDb();
    await db.delete(sections);
    const ids: string[] = [];
    for (const name of ["One", "Two", "Three"]) ids.push((await createSection(admin, { name })).id);
    // equal positions (the column's default, as in older data) still move by the shown order
    await db.update(sections).set({ position: 0 });
    expect(await sectionOrder()).toEqual(["one", "three", "two"]);

    const expired = await expiredBy(() => moveSection(admin, ids[1]!, "down")); // Two, shown last
    expect(expired).toEqual([]);
    await moveSection(admin, ids[1]!, "up");
    expect(await sectionOrder()).toEqual(["one", "two", "three"]);
    expect((await listSections()).map((s) => s.slug)).toEqual(["one", "two", "three"]);
    await moveSection(admin, ids[0]!, "down");
    expect(await sectionOrder()).toEqual(["two", "one", "three"]);
    const before = await countRows(tables);
    await moveSection(admin, ids[1]!, "up");
    expect(await countRows(tables)).toEqual(before);
    expect(await sectionOrder()).toEqual(["two", "one", "three"]);
    const [entry] = await auditEntries("section.move", ids[0]!);
    expect(entry).toMatchObject({ actorId: admin.id, details: { direction: "down", from: 1, to: 2 } });
    expect((await expiredBy(() => moveSection(admin, ids[2]!, "up")))).toEqual(expect.arrayContaining(["sections"]));
    expect(await sectionOrder()).toEqual(["two", "three", "one"]);
    expect((await listSectionsForStaff(admin)).map((s) => s.name)).toEqual(["Two", "Three", "One"]);
  });
});

describe("deleteSection", () => {
  it("is refused with 409 while any article (a draft too) uses the section, saying how many", async () => {
    const s = await createSection(admin, { name: "Crowded" });
    await publishedArticle("crowded");
    await publishedArticle("crowded", [], "draft");
    const before = await countRows(tables);
    const error = await failure(deleteSection(admin, s.id));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toBe("The section “Crowded” is used by 2 articles. Move them to another section first, then delete it.");
    expect(await countRows(tables)).toEqual(before);
    const listed = (await listSectionsForStaff(admin)).find((x) => x.id === s.id);
    expect(listed).toMatchObject({ articles: 2, published: 1 });
  });

  it("deletes an unused section with its old addresses, and audits it", async () => {
    const s = await createSection(admin, { name: "Short-lived", slug: "short-lived" });
    await updateSection(admin, s.id, { name: "Short-lived", slug: "brief" });
    const expired = await expiredBy(() => deleteSection(admin, s.id));
    expect(await sectionRow(s.id)).toBeUndefined();
    expect(await getSectionRedirect("short-lived")).toBeNull();
    expect((await redirectRows("section")).filter((r) => r.sectionId === s.id)).toEqual([]);
    expect(expired).toEqual(expect.arrayContaining(["sections", "section:brief", "section:short-lived"]));
    const [entry] = await auditEntries("section.delete", s.id);
    expect(entry).toMatchObject({ actorId: admin.id, details: { name: "Short-lived", slug: "brief" } });
    const db = await getDb();
    expect(await db.select().from(articles).where(eq(articles.sectionId, s.id))).toEqual([]);
  });
});

describe("changes at the same moment", () => {
  it("take turns: one of two equal names wins, and concurrent moves keep one place per section", async () => {
    const results = await Promise.allSettled([createSection(admin, { name: "Race" }), createSection(admin, { name: "RACE" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(ValidationError)]);

    const all = await listSectionsForStaff(admin);
    await Promise.all(all.slice(0, 4).flatMap((s) => [moveSection(admin, s.id, "down"), moveSection(admin, s.id, "up")]));
    const db = await getDb();
    const positions = (await db.select({ position: sections.position }).from(sections)).map((row) => row.position).sort((a, b) => a - b);
    expect(positions).toEqual(positions.map((_, i) => i));
  });
});
