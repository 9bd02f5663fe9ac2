import { beforeAll, describe, expect, it } from "vitest";
import { listMedia, MEDIA_PAGE_SIZE, uploadMedia, type MediaDetails } from "@/lib/media/library";
import { makeStaff } from "../../fixtures/builders";
import { pngOf, useTempMediaStorage } from "./helpers";

// The library search: name, alt text, caption and credit, case-insensitively, with the query's
// LIKE wildcards taken literally; newest first, MEDIA_PAGE_SIZE to a page.

useTempMediaStorage();
let writer: Awaited<ReturnType<typeof makeStaff>>;
let png: Uint8Array;
const ids: Record<string, string> = {};

async function add(label: string, filename: string, details: Partial<MediaDetails> = {}) {
  ids[label] = (await uploadMedia(writer, { bytes: png, filename, ...details })).id;
}

const found = async (query: string) => (await listMedia(writer, { query })).items.map((item) => item.id).sort();
const idsOf = (...labels: string[]) => labels.map((label) => ids[label]!).sort();

beforeAll(async () => {
  writer = await makeStaff("writer", "Sid Searcher");
  png = await pngOf(16, 16);
  await add("byName", "Lighthouse-At-Night.png");
  await add("byAlt", "img1.png", { alt: "The old LIGHTHOUSE keeper" });
  await add("byCaption", "img2.png", { caption: "A lighthouse in the fog" });
  await add("byCredit", "img3.png", { credit: "Lighthouse Photo Agency" });
  await add("unrelated", "img4.png", { alt: "A fishing boat", caption: "Nets", credit: "Anon" });
  await add("percent", "img5.png", { caption: "Rain 100% of the time" });
  await add("underscore", "snake_case.png");
  await add("notUnderscore", "snakeXcase.png");
  await add("backslash", "img6.png", { alt: "back\\slash" });
});

describe("listMedia search", () => {
  it("matches file name, alt text, caption and credit, whatever the case", async () => {
    const all = idsOf("byName", "byAlt", "byCaption", "byCredit");
    expect(await found("lighthouse")).toEqual(all);
    expect(await found("LightHouse")).toEqual(all);
    expect(await found("  LIGHTHOUSE  ")).toEqual(all);
    expect(await found("keeper")).toEqual(idsOf("byAlt"));
    expect(await found("fog")).toEqual(idsOf("byCaption"));
    expect(await found("agency")).toEqual(idsOf("byCredit"));
    expect(await found("at-night.PNG")).toEqual(idsOf("byName"));
  });

  it("takes % and _ (and \\) literally", async () => {
    expect(await found("%")).toEqual(idsOf("percent"));
    expect(await found("100%")).toEqual(idsOf("percent"));
    expect(await found("_")).toEqual(idsOf("underscore"));
    expect(await found("snake_case")).toEqual(idsOf("underscore"));
    expect(await found("\\")).toEqual(idsOf("backslash"));
    expect(await found("%%%")).toEqual([]);
    expect(await found("nothing like this")).toEqual([]);
  });

  it("treats hostile queries as text (never a database error)", async () => {
    for (const query of ["' or 1=1 --", "'; drop table media; --", "\\%", "[a-z]*", "é".repeat(500), "light\u0000house"]) {
      const result = await listMedia(writer, { query });
      expect(result.items).toEqual([]);
      expect(result).toMatchObject({ total: 0, totalPages: 1, page: 1 });
    }
  });

  it("drops control characters such as NUL (PostgreSQL cannot compare them; /editor/media?q=%00 was a 500)", async () => {
    expect((await listMedia(writer, { query: "\u0000" })).total).toBe((await listMedia(writer)).total);
    expect(await found("\u0000keeper\u0000\n")).toEqual(idsOf("byAlt"));
    expect(await found("\u0001\u001f\u007f%")).toEqual(idsOf("percent"));
  });

  it("lists everything for an empty or blank query", async () => {
    const everything = await listMedia(writer);
    expect(everything.total).toBeGreaterThanOrEqual(Object.keys(ids).length);
    expect((await listMedia(writer, { query: "   " })).total).toBe(everything.total);
  });
});

describe("listMedia pages", () => {
  it(`shows ${MEDIA_PAGE_SIZE} to a page, newest first, every image once`, async () => {
    const count = MEDIA_PAGE_SIZE + 5;
    const uploadedInOrder: string[] = [];
    for (let i = 0; i < count; i++) {
      uploadedInOrder.push((await uploadMedia(writer, { bytes: png, filename: `paged-item-${String(i).padStart(2, "0")}.png` })).id);
    }
    const first = await listMedia(writer, { query: "paged-item", page: 1 });
    const second = await listMedia(writer, { query: "paged-item", page: 2 });
    const third = await listMedia(writer, { query: "paged-item", page: 3 });
    expect(first).toMatchObject({ total: count, totalPages: 2, page: 1 });
    expect(first.items).toHaveLength(MEDIA_PAGE_SIZE);
    expect(second).toMatchObject({ total: count, totalPages: 2, page: 2 });
    expect(second.items).toHaveLength(5);
    expect(third.items).toEqual([]);
    expect([...first.items, ...second.items].map((item) => item.id)).toEqual([...uploadedInOrder].reverse());

    // the unfiltered library pages the same way
    const all = await listMedia(writer, { page: 1 });
    expect(all.items).toHaveLength(MEDIA_PAGE_SIZE);
    expect(all.totalPages).toBe(Math.ceil(all.total / MEDIA_PAGE_SIZE));
  });
});
