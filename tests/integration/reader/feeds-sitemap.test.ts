import { beforeAll, describe, expect, it } from "vitest";
import { xml2js, type Element } from "xml-js";
import { getDb } from "@/db/client";
import { sections } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getPublishedArticle } from "@/lib/articles/queries";
import type { NewArticleInput } from "@/lib/articles/validation";
import { getFeed } from "@/lib/feeds/feeds";
import { sectionFeedHandler } from "@/lib/feeds/routes";
import { createSection, updateSection } from "@/lib/sections/mutations";
import { articleJsonLd, serializeJsonLd } from "@/lib/seo/json-ld";
import { getSitemap } from "@/lib/seo/sitemap";
import { absoluteUrl, siteOrigin } from "@/lib/seo/site-url";
import { getSiteSettings } from "@/lib/settings";
import { slugify } from "@/lib/slug";
import { docOf, makeStaff } from "../../fixtures/builders";
import { readShared } from "../../fixtures/shared";

// The tests in this file share one database and run in order.

const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let editor: Staff;
let fiona: Staff;
let will: Staff;
let ghost: Staff; // only ever on a draft
const slugs: Record<"lead" | "second" | "loose" | "draft" | "future", string> = { lead: "", second: "", loose: "", draft: "", future: "" };

async function published(title: string, publishedAt: Date, extra: Partial<NewArticleInput> = {}) {
  return createArticle(editor, { title, body: docOf(`Body of ${title}.`), status: "published", publishedAt, ...extra });
}

// ---- XML helpers: a real (strict, sax-based) parser, already installed as the `feed` package's dependency

/** Parses strictly; throws on anything that is not well-formed XML. */
function parseXml(xml: string): Element {
  return xml2js(xml, { compact: false, trim: false, captureSpacesBetweenElements: false }) as Element;
}
const childrenNamed = (element: Element | undefined, name: string) => (element?.elements ?? []).filter((e) => e.type === "element" && e.name === name);
const child = (element: Element | undefined, name: string) => childrenNamed(element, name)[0];
const textOf = (element: Element | undefined) =>
  (element?.elements ?? []).map((e) => (e.type === "text" ? String(e.text) : e.type === "cdata" ? (e.cdata ?? "") : "")).join("");

function rssItems(xml: string) {
  const channel = child(child(parseXml(xml), "rss"), "channel");
  return { channel, items: childrenNamed(channel, "item") };
}

/** Element names that appear as markup in the document, i.e. outside CDATA sections (which end at the first "]]>"). */
function markupOutsideCdata(xml: string): string[] {
  const outside = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  return [...outside.matchAll(/<\/?([A-Za-z][\w:.-]*)/g)].map((m) => m[1]!.toLowerCase());
}
function atomEntries(xml: string) {
  const feed = child(parseXml(xml), "feed");
  return { feed, entries: childrenNamed(feed, "entry") };
}
/** Atom's title and summary are typed "html": what a reader shows is their text with entities decoded. */
const htmlText = (element: Element | undefined) =>
  textOf(element).replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[name]!);
type JsonFeed = { version: string; title: string; home_page_url: string; feed_url: string; items: { id: string; url: string; title: string; summary?: string; content_html: string; date_published: string; authors: { name: string; url: string }[]; tags: string[] }[] };
const jsonFeedOf = async (section: string | null) => JSON.parse((await getFeed("json", section))!) as JsonFeed;
const ATOM_VOCABULARY = new Set(["feed", "id", "title", "updated", "generator", "link", "subtitle", "logo", "rights", "entry", "summary", "content", "author", "name", "uri", "published", "category"]);
const RSS_VOCABULARY = new Set(["rss", "channel", "title", "link", "description", "lastbuilddate", "docs", "generator", "language", "copyright", "atom:link", "item", "guid", "pubdate", "content:encoded", "author", "category", "enclosure", "image", "url", "dc:creator"]);

/** The corpus payloads whose targets include plain-text fields such as the title (security-corpus/README.md). */
function titlePayloads(): string[] {
  const payloads: string[] = [];
  let targets: string[] = [];
  for (const line of readShared("security-corpus/xss.txt").toString("utf8").split("\n")) {
    const header = /^#@ section: .*\| targets: (.*)$/.exec(line);
    if (header) targets = header[1]!.split(",").map((t) => t.trim());
    if (line.startsWith("#") || line.trim() === "") continue;
    if (targets.includes("all-text") || targets.includes("title")) payloads.push(line);
  }
  return payloads;
}

beforeAll(async () => {
  const db = await getDb();
  await db.insert(sections).values([
    { slug: "world", name: "World", position: 1 },
    { slug: "culture", name: "Culture", position: 2 },
    { slug: "draft-only", name: "Draft Only", position: 3 },
  ]);
  editor = await makeStaff("editor", "Eddie Editor");
  fiona = await makeStaff("editor", "Fiona Feed");
  will = await makeStaff("writer", "Will Writer");
  ghost = await makeStaff("writer", "Gus Ghost");
  slugs.lead = (
    await published("Harbour lights return", hoursAgo(1), {
      dek: "A small town relights its harbour.",
      section: "world",
      tags: ["Harbours", "Night Life"],
      authors: [fiona.slug, will.slug],
      sourceUrl: "https://www.example.com/harbour",
    })
  ).slug;
  slugs.second = (await published("Opera season opens", hoursAgo(2), { section: "culture", authors: [will.slug] })).slug;
  slugs.loose = (await published("A story without a section", hoursAgo(3))).slug;
  slugs.draft = (await createArticle(editor, { title: "Secret harbour draft", body: docOf("Not yet."), section: "draft-only", tags: ["Secret Tag"], authors: [ghost.slug] })).slug;
  slugs.future = (await published("Embargoed harbour story", new Date(Date.now() + 24 * HOUR), { section: "draft-only", tags: ["Future Tag"], authors: [ghost.slug] })).slug;
});

describe("Atom and JSON feeds", () => {
  it("serve the same stories as the RSS feed, newest first, as well-formed Atom with bylines and categories", async () => {
    const { feed, entries } = atomEntries((await getFeed("atom", null))!);
    expect(feed?.attributes?.xmlns).toBe("http://www.w3.org/2005/Atom");
    const links = childrenNamed(feed, "link").map((l) => [l.attributes?.rel, l.attributes?.href]);
    expect(links).toEqual([
      ["alternate", `${siteOrigin()}/`],
      ["self", absoluteUrl("/feed.atom")],
    ]);
    expect(entries.map((e) => child(e, "link")!.attributes!.href)).toEqual([slugs.lead, slugs.second, slugs.loose].map((s) => absoluteUrl(`/article/${s}`)));
    const [lead, second] = entries;
    expect(textOf(child(lead, "id"))).toBe(absoluteUrl(`/article/${slugs.lead}`));
    expect(htmlText(child(lead, "title"))).toBe("Harbour lights return");
    expect(htmlText(child(lead, "summary"))).toBe("A small town relights its harbour.");
    expect(childrenNamed(lead, "author").map((a) => [textOf(child(a, "name")), textOf(child(a, "uri"))])).toEqual([
      ["Fiona Feed", absoluteUrl(`/author/${fiona.slug}`)],
      ["Will Writer", absoluteUrl(`/author/${will.slug}`)],
    ]);
    const article = await getPublishedArticle(slugs.second);
    expect(textOf(child(second, "published"))).toBe(new Date(article!.publishedAt).toISOString());
    expect(textOf(child(second, "content"))).toContain("<p>Body of Opera season opens.</p>");
    // the section, then each tag: slugs as terms, names as labels, told apart by their scheme
    const categories = (entry: Element | undefined) => childrenNamed(entry, "category").map((c) => [c.attributes?.scheme, c.attributes?.term, c.attributes?.label]);
    const [section, ...tagged] = categories(lead);
    expect(section).toEqual([absoluteUrl("/section/"), "world", "World"]);
    expect(tagged.sort()).toEqual([
      [absoluteUrl("/tag/"), "harbours", "Harbours"],
      [absoluteUrl("/tag/"), "night-life", "Night Life"],
    ]);
    expect(categories(second)).toEqual([[absoluteUrl("/section/"), "culture", "Culture"]]);
  });

  it("serve JSON Feed 1.1 with every author, tags, summary and the same HTML as the RSS feed", async () => {
    const json = await jsonFeedOf(null);
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.feed_url).toBe(absoluteUrl("/feed.json"));
    expect(json.home_page_url).toBe(`${siteOrigin()}/`);
    expect(json.items.map((item) => item.url)).toEqual([slugs.lead, slugs.second, slugs.loose].map((s) => absoluteUrl(`/article/${s}`)));
    const [lead] = json.items;
    expect(lead!.id).toBe(lead!.url);
    expect(lead!.title).toBe("Harbour lights return");
    expect(lead!.summary).toBe("A small town relights its harbour.");
    expect(lead!.authors).toEqual([
      { name: "Fiona Feed", url: absoluteUrl(`/author/${fiona.slug}`) },
      { name: "Will Writer", url: absoluteUrl(`/author/${will.slug}`) },
    ]);
    expect(lead!.tags[0]).toBe("World");
    expect(lead!.tags.slice(1).sort()).toEqual(["Harbours", "Night Life"]);
    const { items } = rssItems((await getFeed("rss", null))!);
    expect(lead!.content_html).toBe(textOf(child(items[0], "content:encoded")));
  });

  it("have a feed per section in each format, never with drafts or future stories, and null for an unknown section", async () => {
    const { feed, entries } = atomEntries((await getFeed("atom", "world"))!);
    expect(textOf(child(feed, "title"))).toContain("World");
    expect(entries.map((e) => child(e, "link")!.attributes!.href)).toEqual([absoluteUrl(`/article/${slugs.lead}`)]);
    const json = await jsonFeedOf("world");
    expect(json.feed_url).toBe(absoluteUrl("/section/world/feed.json"));
    expect(json.items.map((item) => item.url)).toEqual([absoluteUrl(`/article/${slugs.lead}`)]);
    for (const format of ["atom", "json"] as const) {
      const site = (await getFeed(format, null))!;
      for (const hidden of ["Secret harbour draft", "Embargoed harbour story", slugs.draft, slugs.future]) expect(site).not.toContain(hidden);
      expect(await getFeed(format, "no-such-section")).toBeNull();
    }
    expect(atomEntries((await getFeed("atom", "draft-only"))!).entries).toHaveLength(0);
    expect((await jsonFeedOf("draft-only")).items).toHaveLength(0);
  });

  it("send a renamed section's subscribers on to its new address, in every format", async () => {
    const admin = await makeStaff("admin", "Ada Sections");
    const { id } = await createSection(admin, { name: "Harbours Desk" });
    await updateSection(admin, id, { name: "Harbours Desk", slug: "coast-desk" });
    const feedAt = (format: "rss" | "atom" | "json", slug: string) =>
      sectionFeedHandler(format)(new Request(`http://localhost/section/${slug}/feed`), { params: Promise.resolve({ slug }) });
    for (const [format, file, type] of [["rss", "feed.xml", "rss+xml"], ["atom", "feed.atom", "atom+xml"], ["json", "feed.json", "feed+json"]] as const) {
      const moved = await feedAt(format, "harbours-desk");
      expect(moved.status, format).toBe(308);
      expect(moved.headers.get("location")).toBe(`/section/coast-desk/${file}`);
      const current = await feedAt(format, "coast-desk");
      expect(current.status, format).toBe(200);
      expect(current.headers.get("content-type")).toBe(`application/${type}; charset=utf-8`);
      // an address that never was a section is not found (Next's notFound() throws its own error)
      await expect(feedAt(format, "never-a-section")).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    }
  });
});

describe("RSS feed", () => {
  it("is well-formed RSS with absolute links and exactly one guid per item", async () => {
    const xml = await getFeed("rss", null);
    expect(xml).not.toBeNull();
    const { channel, items } = rssItems(xml!);
    expect(textOf(child(channel, "link"))).toBe(`${siteOrigin()}/`);
    expect(items.map((item) => textOf(child(item, "link")))).toEqual([slugs.lead, slugs.second, slugs.loose].map((s) => absoluteUrl(`/article/${s}`)));
    for (const item of items) {
      const link = textOf(child(item, "link"));
      expect(new URL(link).origin).toBe(siteOrigin());
      const guids = childrenNamed(item, "guid");
      expect(guids).toHaveLength(1);
      expect(textOf(guids[0])).toBe(link);
    }
    const guidTexts = items.map((item) => textOf(child(item, "guid")));
    expect(new Set(guidTexts).size).toBe(guidTexts.length);
  });

  it("gives every item its publication date as pubDate", async () => {
    const { items } = rssItems((await getFeed("rss", null))!);
    for (const item of items) {
      const slug = textOf(child(item, "link")).split("/article/")[1]!;
      const article = await getPublishedArticle(slug);
      expect(childrenNamed(item, "pubDate")).toHaveLength(1);
      const pubDate = new Date(textOf(child(item, "pubDate")));
      expect(Math.floor(pubDate.getTime() / 1000)).toBe(Math.floor(new Date(article!.publishedAt).getTime() / 1000));
    }
  });

  it("lists the section and every tag as categories, with title, description and authors", async () => {
    const { items } = rssItems((await getFeed("rss", null))!);
    const [lead, second, loose] = items;
    const categories = childrenNamed(lead, "category").map(textOf);
    expect(categories[0]).toBe("World");
    expect(categories.slice(1).sort()).toEqual(["Harbours", "Night Life"]);
    expect(childrenNamed(second, "category").map(textOf)).toEqual(["Culture"]);
    expect(childrenNamed(loose, "category")).toHaveLength(0);
    expect(textOf(child(lead, "title"))).toBe("Harbour lights return");
    expect(textOf(child(lead, "description"))).toBe("A small town relights its harbour.");
    // every author by name as dc:creator (RSS's own <author> must be an email address, which bylines are not)
    expect(childrenNamed(lead, "dc:creator").map(textOf)).toEqual(["Fiona Feed", "Will Writer"]);
    expect(childrenNamed(lead, "author")).toHaveLength(0);
    expect(child(parseXml((await getFeed("rss", null))!), "rss")?.attributes?.["xmlns:dc"]).toBe("http://purl.org/dc/elements/1.1/");
  });

  it("never includes drafts or future-dated articles", async () => {
    const xml = (await getFeed("rss", null))!;
    for (const hidden of ["Secret harbour draft", "Embargoed harbour story", slugs.draft, slugs.future]) expect(xml).not.toContain(hidden);
  });

  it("has a feed per section holding only that section's articles, and null for an unknown section", async () => {
    const { channel, items } = rssItems((await getFeed("rss", "world"))!);
    expect(textOf(child(channel, "title"))).toContain("World");
    expect(textOf(child(channel, "link"))).toBe(absoluteUrl("/section/world"));
    expect(items.map((item) => textOf(child(item, "link")))).toEqual([absoluteUrl(`/article/${slugs.lead}`)]);
    expect(rssItems((await getFeed("rss", "draft-only"))!).items).toHaveLength(0);
    expect(await getFeed("rss", "no-such-section")).toBeNull();
  });

  it("keeps every plain-text XSS payload from the corpus escaped in titles, descriptions and categories", async () => {
    const payloads = titlePayloads();
    expect(payloads.length).toBeGreaterThan(40);
    const db = await getDb();
    const chunks: string[][] = [];
    for (let i = 0; i < payloads.length; i += 25) chunks.push(payloads.slice(i, i + 25)); // a feed holds 30 items
    const usedTagSlugs = new Set<string>();
    for (const [index, chunk] of chunks.entries()) {
      const section = `xss-${index + 1}`;
      await db.insert(sections).values({ slug: section, name: `XSS ${index + 1}`, position: 100 + index });
      const expected = new Map<string, { title: string; tag: string | null }>();
      for (const [i, payload] of chunk.entries()) {
        const tagSlug = slugify(payload);
        const tag = payload.length <= 60 && tagSlug && !usedTagSlugs.has(tagSlug) ? payload.trim() : null;
        if (tag) usedTagSlugs.add(tagSlug);
        const created = await published(payload, hoursAgo(50 + i / 100), { dek: payload, section, tags: tag ? [tag] : [] });
        expect(created.status).toBe("published");
        expected.set(absoluteUrl(`/article/${created.slug}`), { title: payload.trim(), tag });
      }

      const xml = (await getFeed("rss", section))!;
      const { items } = rssItems(xml); // throws if a payload broke the XML
      expect(items).toHaveLength(chunk.length);
      for (const item of items) {
        const want = expected.get(textOf(child(item, "link")))!;
        expect(textOf(child(item, "title"))).toBe(want.title);
        expect(textOf(child(item, "description"))).toBe(want.title);
        if (want.tag) expect(childrenNamed(item, "category").map(textOf)).toContain(want.tag);
      }
      for (const name of markupOutsideCdata(xml)) expect(RSS_VOCABULARY, `<${name}> outside CDATA in ${section}`).toContain(name);

      const atom = (await getFeed("atom", section))!;
      const { entries } = atomEntries(atom);
      expect(entries).toHaveLength(chunk.length);
      for (const entry of entries) {
        const want = expected.get(child(entry, "link")!.attributes!.href as string)!;
        expect(htmlText(child(entry, "title"))).toBe(want.title);
        expect(htmlText(child(entry, "summary"))).toBe(want.title);
        expect(textOf(child(entry, "title"))).not.toMatch(/[<>]/); // escaped: a reader renders no markup from it
        // a tag's name as its label, exactly as typed, unless it holds "<" (feed cannot escape it there)
        const tagCategory = childrenNamed(entry, "category").find((c) => c.attributes?.scheme === absoluteUrl("/tag/"));
        if (want.tag) expect(tagCategory?.attributes).toEqual({ scheme: absoluteUrl("/tag/"), term: slugify(want.tag), ...(want.tag.includes("<") ? {} : { label: want.tag }) });
      }
      for (const name of markupOutsideCdata(atom)) expect(ATOM_VOCABULARY, `<${name}> outside CDATA in the Atom feed of ${section}`).toContain(name);

      const json = await jsonFeedOf(section);
      expect(json.items).toHaveLength(chunk.length);
      for (const item of json.items) expect(item.title).toBe(expected.get(item.url)!.title);
    }
  });

  it("keeps a title and dek holding two CDATA breakouts inside their CDATA (well-formed, no raw <script>/<img>)", async () => {
    // two of the corpus's own RSS CDATA breakouts, one after the other
    const payloads = titlePayloads();
    const first = payloads.find((p) => p === "]]><script>alert(1)</script>");
    const second = payloads.find((p) => p === "]]><img src=x onerror=alert(1)><![CDATA[");
    expect(first && second).toBeTruthy();
    const title = `Breakout ${first} and ${second} end`;
    const db = await getDb();
    await db.insert(sections).values({ slug: "cdata", name: "CDATA", position: 200 });
    await published(title, hoursAgo(60), { dek: title, section: "cdata" });

    const xml = (await getFeed("rss", "cdata"))!;
    const names = markupOutsideCdata(xml);
    expect(names).not.toContain("script");
    expect(names).not.toContain("img");
    const { items } = rssItems(xml); // must parse
    expect(textOf(child(items[0], "title"))).toBe(title);
    expect(textOf(child(items[0], "description"))).toBe(title);
  });
});

describe("sitemap", () => {
  it("is well-formed and lists the front page, sections, tags, authors and published articles", async () => {
    const xml = (await getSitemap(null))!;
    const urls = childrenNamed(child(parseXml(xml), "urlset"), "url");
    const locs = urls.map((u) => textOf(child(u, "loc")));
    expect(locs).toEqual(
      expect.arrayContaining(
        [
          "/",
          "/section/world",
          "/section/culture",
          "/tag/harbours",
          "/tag/night-life",
          `/author/${fiona.slug}`,
          `/author/${will.slug}`,
          `/article/${slugs.lead}`,
          `/article/${slugs.second}`,
          `/article/${slugs.loose}`,
        ].map(absoluteUrl),
      ),
    );
    expect(new Set(locs).size).toBe(locs.length);
  });

  it("gives every URL a <lastmod>: an article's is its last update, the front page's the newest update", async () => {
    const urls = childrenNamed(child(parseXml((await getSitemap(null))!), "urlset"), "url");
    const lastmod = new Map(urls.map((u) => [textOf(child(u, "loc")), childrenNamed(u, "lastmod").map(textOf)]));
    for (const [loc, values] of lastmod) {
      expect(values, loc).toHaveLength(1);
      expect(Number.isNaN(Date.parse(values[0]!)), loc).toBe(false);
    }
    const lead = await getPublishedArticle(slugs.lead);
    expect(lastmod.get(absoluteUrl(`/article/${slugs.lead}`))).toEqual([lead!.updatedAt]);
    const newest = Math.max(...[...lastmod].filter(([loc]) => loc.includes("/article/")).map(([, v]) => Date.parse(v[0]!)));
    expect(Date.parse(lastmod.get(absoluteUrl("/"))![0]!)).toBe(newest);
  });

  it("never lists drafts, future-dated articles, or sections, tags and authors that only have those", async () => {
    const xml = (await getSitemap(null))!;
    for (const path of [`/article/${slugs.draft}`, `/article/${slugs.future}`, "/section/draft-only", "/tag/secret-tag", "/tag/future-tag", `/author/${ghost.slug}`, `/author/${editor.slug}`]) {
      expect(xml).not.toContain(absoluteUrl(path));
    }
  });
});

describe("JSON-LD", () => {
  it("serializeJsonLd escapes < (and line separators) so no stored text can close the script tag", () => {
    const data = { headline: "</script><script>alert(1)</script>", dek: '"}</SCRIPT><img src=x onerror=alert(1)>', other: "line\u2028para\u2029end <!-- x" };
    const json = serializeJsonLd(data);
    expect(json).not.toContain("<");
    expect(json.toLowerCase()).not.toContain("</script");
    expect(json).not.toMatch(/[\u2028\u2029]/);
    expect(json).toContain("\\u003c/script>");
    expect(JSON.parse(json)).toEqual(data);
  });

  it("describes an article as a NewsArticle with every author, its source as isBasedOn, and a BreadcrumbList", async () => {
    const article = (await getPublishedArticle(slugs.lead))!;
    const site = await getSiteSettings();
    const [news, breadcrumbs] = articleJsonLd(article, site) as unknown as [Record<string, unknown>, Record<string, unknown>];
    const url = absoluteUrl(`/article/${slugs.lead}`);
    expect(news).toMatchObject({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: "Harbour lights return",
      url,
      mainEntityOfPage: url,
      datePublished: article.publishedAt,
      articleSection: "World",
      author: [
        { "@type": "Person", name: "Fiona Feed", url: absoluteUrl(`/author/${fiona.slug}`) },
        { "@type": "Person", name: "Will Writer", url: absoluteUrl(`/author/${will.slug}`) },
      ],
      isBasedOn: { "@type": "CreativeWork", url: "https://www.example.com/harbour", publisher: { "@type": "Organization", name: "example.com" } },
      publisher: { "@type": "Organization", name: site.name },
    });
    expect((news.author as unknown[]).length).toBe(2);
    expect(breadcrumbs).toMatchObject({
      "@type": "BreadcrumbList",
      itemListElement: [
        { "@type": "ListItem", position: 1, name: site.name, item: absoluteUrl("/") },
        { "@type": "ListItem", position: 2, name: "World", item: absoluteUrl("/section/world") },
        { "@type": "ListItem", position: 3, name: "Harbour lights return", item: url },
      ],
    });
  });

  it("leaves out isBasedOn without a source, and the section crumb without a section", async () => {
    const article = (await getPublishedArticle(slugs.loose))!;
    const [news, breadcrumbs] = articleJsonLd(article, await getSiteSettings()) as unknown as [Record<string, unknown>, { itemListElement: { position: number; item: string }[] }];
    expect(news).not.toHaveProperty("isBasedOn");
    expect(breadcrumbs.itemListElement.map((c) => c.position)).toEqual([1, 2]);
    expect(breadcrumbs.itemListElement[1]!.item).toBe(absoluteUrl(`/article/${slugs.loose}`));
  });

  it("serializes an article whose title and dek are script-breakout payloads without a literal </script>", async () => {
    const title = "</script><script>alert(1)</script>";
    const dek = '"}</script><script>alert(1)</script>';
    const created = await published(title, hoursAgo(70), { dek, section: "world", sourceUrl: "https://example.com/</script>" });
    const article = (await getPublishedArticle(created.slug))!;
    const json = serializeJsonLd(articleJsonLd(article, await getSiteSettings()));
    expect(json.toLowerCase()).not.toContain("</script");
    expect(json).not.toContain("<");
    const [news] = JSON.parse(json) as [{ headline: string; description: string }];
    expect(news.headline).toBe(title);
    expect(news.description).toBe(dek);
  });
});
