import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoArticles } from "@/db/seed/demo-content";
import type { Page } from "playwright-core";
import { useBrowser } from "../fixtures/e2e-browser";

const { baseUrl, redirect } = inject("e2e");
const browser = useBrowser();
let page: Page;

beforeAll(async () => {
  page = await browser.newPage();
});

describe("a reader", () => {
  it("sees a front page of demo articles", async () => {
    const response = await page.goto(`${baseUrl}/`);
    expect(response?.status()).toBe(200);
    const headlines = await page.locator("main article :is(h2,h3) a").allTextContents();
    expect(new Set(headlines).size).toBeGreaterThanOrEqual(20);
    expect(headlines).toContain(demoArticles.find((a) => a.featured)!.title);
  });

  it("reaches the same magazine through localhost as through 127.0.0.1", async () => {
    const viaLocalhost = baseUrl.replace("127.0.0.1", "localhost");
    const response = await page.goto(`${viaLocalhost}/`);
    expect(response?.status()).toBe(200);
    await page.locator("main article :is(h2,h3) a").first().click();
    await page.waitForURL(/\/article\//);
    expect(new URL(page.url()).host).toBe(new URL(viaLocalhost).host);
    expect(await page.locator("h1").textContent()).toBeTruthy();
  });

  it("reads an article: headline, dek, byline, date, paragraphs and the Go To Source link", async () => {
    const demo = demoArticles.find((a) => a.source && a.body.filter((b) => typeof b === "string").length >= 3)!;
    const response = await page.goto(`${baseUrl}/article/${demo.slug}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("h1").textContent()).toBe(demo.title);
    expect(await page.getByText(demo.dek, { exact: true }).count()).toBe(1);
    expect(await page.locator("header").getByText(/^By /).textContent()).toContain(demo.authors.length ? "" : "staff");
    expect(await page.locator("article header time").getAttribute("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const paragraphs = await page.locator(".article-body > p").allTextContents();
    expect(paragraphs).toEqual(demo.body.filter((b): b is string => typeof b === "string"));
    const source = page.getByRole("link", { name: "Go To Source" });
    expect(await source.getAttribute("href")).toBe(demo.source!.url);
  });

  it("sees every date in their own time zone, in the house style", async () => {
    // what the page's script must show: computed here by Node's Intl for the reader's zone
    const expected = (iso: string, withTime: boolean, timeZone: string) => {
      const date = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(new Date(iso));
      if (!withTime) return date;
      const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(iso));
      const offset = new Intl.DateTimeFormat("en-GB", { timeZoneName: "shortOffset", timeZone }).formatToParts(new Date(iso)).find((p) => p.type === "timeZoneName")!.value;
      return `${date} at ${clock} ${offset}`;
    };
    for (const timeZone of ["America/Los_Angeles", "Asia/Kolkata"]) {
      const reader = await browser.newPage({ timezoneId: timeZone });
      const shown: { withTime: boolean; iso: string; text: string | null }[] = [];
      for (const path of ["/", `/article/${demoArticles[0]!.slug}`]) {
        await reader.goto(`${baseUrl}${path}`);
        shown.push(...(await reader.locator("time[data-local]").evaluateAll((els) => els.map((el) => ({ withTime: (el as HTMLElement).dataset.local === "datetime", iso: el.getAttribute("datetime")!, text: el.textContent })))));
      }
      expect(shown.length).toBeGreaterThan(10);
      expect(shown.some((d) => d.withTime)).toBe(true);
      for (const date of shown) expect(date.text, `${date.iso} in ${timeZone}`).toBe(expected(date.iso, date.withTime, timeZone));
      await reader.close();
    }
  });

  it("gets a 404 page for an unknown or malformed article", async () => {
    for (const path of ["/article/no-such-story", "/article/UPPER-case", "/section/no-such-section", "/tag/no-such-tag", "/author/no-such-author", "/section/world?page=999", "/no/such/page"]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(404);
    }
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    // an address no route knows keeps the site's masthead and section navigation too
    expect(await page.getByRole("navigation", { name: "Sections" }).count()).toBe(1);
  });

  it("prints an article black on white even in dark mode, without the site's navigation", async () => {
    const demo = demoArticles.find((a) => a.section && a.dek)!;
    const printing = await browser.newPage({ colorScheme: "dark" });
    await printing.goto(`${baseUrl}/article/${demo.slug}`);
    await printing.emulateMedia({ media: "print", colorScheme: "dark" });
    const colors = await printing.evaluate(() => ({
      text: getComputedStyle(document.body).color,
      paper: getComputedStyle(document.body).backgroundColor,
      dek: getComputedStyle(document.querySelector("article header h1 + p")!).color,
    }));
    expect(colors).toEqual({ text: "rgb(0, 0, 0)", paper: "rgb(255, 255, 255)", dek: "rgb(63, 67, 77)" });
    expect(await printing.getByRole("navigation", { name: "Sections" }).isVisible()).toBe(false);
    expect(await printing.getByRole("navigation", { name: "Breadcrumb" }).isVisible()).toBe(true);
    await printing.close();
  });

  it("follows an article's old address with a permanent redirect to its current one", async () => {
    const response = await fetch(`${baseUrl}${redirect.from}`, { redirect: "manual" });
    expect(response.status).toBe(301); // Next answers 308; the server sends GET and HEAD a 301 (lib/http/moved-permanently.ts)
    // Next.js 16.4 repeats the Location header on the first (uncached) render of a redirecting page;
    // the copies are identical, which browsers accept (fetch joins them with ", ")
    const targets = new Set(response.headers.get("location")!.split(", ").map((value) => new URL(value, baseUrl).pathname));
    expect([...targets]).toEqual([redirect.to]);
    await page.goto(`${baseUrl}${redirect.from}`);
    expect(new URL(page.url()).pathname).toBe(redirect.to);
  });

  it("has a generated social image for an article without a hero, and none for unknown articles", async () => {
    const plain = demoArticles.find((a) => !a.hero)!;
    const image = await fetch(`${baseUrl}/og/${plain.slug}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect((await fetch(`${baseUrl}/og/no-such-story`)).status).toBe(404);
    await page.goto(`${baseUrl}/article/${plain.slug}`);
    expect(await page.locator('meta[property="og:image"]').getAttribute("content")).toMatch(new RegExp(`/og/${plain.slug}$`));
    expect(await page.locator('meta[property="og:type"]').getAttribute("content")).toBe("article");
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as Array<{ "@type": string }>;
    expect(jsonLd.map((item) => item["@type"])).toEqual(["NewsArticle", "BreadcrumbList"]);
  });

  it("gets a 400 with a plain message for a malformed address, never a 500", async () => {
    for (const path of ["/article/%E0%A4%A", "/article/%", "/%c0%ae%c0%ae/", "/article/a%00b"]) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(400);
      expect(await response.text()).toMatch(/^Bad request: /);
    }
  });

  it("answers the client router's data requests for an article, a segment prefetch with the whole payload", async () => {
    // pages render no per-segment prefetch data at request time (scripts/patch-next.mjs): a router
    // that asks for one segment gets the page's whole RSC payload, which it can use as well
    const demo = demoArticles.find((a) => /^[\w ,]+$/.test(a.title))!;
    const asked = {
      page: { RSC: "1" },
      segment: { RSC: "1", "Next-Router-Prefetch": "1", "Next-Router-Segment-Prefetch": "/_tree" },
    };
    for (const [what, headers] of Object.entries(asked)) {
      for (const attempt of ["first", "cached"]) {
        const response = await fetch(`${baseUrl}/article/${demo.slug}`, { headers });
        expect(response.status, `${what}, ${attempt}`).toBe(200);
        expect(response.headers.get("content-type"), `${what}, ${attempt}`).toContain("text/x-component");
        expect(await response.text(), `${what}, ${attempt}`).toContain(demo.title);
      }
    }
  });

  it("does not scroll sideways on a 320 px phone", async () => {
    const phone = await browser.newPage({ viewport: { width: 320, height: 640 } });
    for (const path of ["/", `/article/${demoArticles[0]!.slug}`]) {
      await phone.goto(`${baseUrl}${path}`);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await phone.close();
  });
});

describe("finding stories", () => {
  it("moves from the section menu to a section, an article, its tag and its author", async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Science" }).click();
    await page.waitForURL(/\/section\/science$/);
    expect(await page.locator("h1").textContent()).toBe("Science");
    await page.locator("main article h2 a").first().click();
    await page.waitForURL(/\/article\//);
    const tagLink = page.getByRole("navigation", { name: "Tags" }).getByRole("link").first();
    const tagName = await tagLink.textContent();
    await tagLink.click();
    await page.waitForURL(/\/tag\//);
    expect(await page.locator("h1").textContent()).toBe(tagName);
    await page.locator("main article h2 a").first().click();
    await page.waitForURL(/\/article\//);
    const author = page.locator("article header").getByRole("link", { name: /./ }).filter({ has: page.locator("xpath=self::a[@rel='author']") }).first();
    const authorName = await author.textContent();
    await author.click();
    await page.waitForURL(/\/author\//);
    expect(await page.locator("h1").textContent()).toBe(authorName);
  });

  it("pages listings with ?page=N: page 1 is the listing, a page past the end is 404, a bad page is 400", async () => {
    expect((await fetch(`${baseUrl}/section/world?page=1`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/section/world?page=2`)).status).toBe(404);
    for (const bad of ["0", "-1", "abc", "1.5", "99999999", "1%27%20OR%201=1"]) {
      const response = await fetch(`${baseUrl}/section/world?page=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.text()).toMatch(/^Bad request: page must be a whole number/);
    }
  });

  it("searches: ranked results with highlighted words, and sensible pages for odd queries", async () => {
    await page.goto(`${baseUrl}/search`);
    await page.getByRole("searchbox", { name: "Search the magazine" }).fill("river border");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/search\?q=river/);
    expect(await page.locator("main li h3").first().textContent()).toBe("The river that moved a border");
    expect(await page.locator("main li mark").count()).toBeGreaterThan(0);
    for (const query of ['"unclosed', "-", "&&&", "' OR 1=1 --", "x".repeat(10_000)]) {
      const response = await fetch(`${baseUrl}/search?q=${encodeURIComponent(query)}`);
      expect(response.status, query.slice(0, 20)).toBe(200);
    }
  });

  it("offers RSS with absolute links, a sitemap with lastmod, and robots naming the sitemap", async () => {
    const feed = await (await fetch(`${baseUrl}/feed.xml`)).text();
    expect(feed).toMatch(/^<\?xml/);
    expect(feed).toContain("<rss");
    expect(feed).toMatch(/<link>https?:\/\/[^<]+\/article\/[a-z0-9-]+<\/link>/);
    const sectionFeed = await fetch(`${baseUrl}/section/world/feed.xml`);
    expect(sectionFeed.headers.get("content-type")).toContain("application/rss+xml");
    // the same stories as Atom and JSON Feed, site-wide and per section
    for (const [file, type] of [["feed.atom", "application/atom+xml"], ["feed.json", "application/feed+json"]]) {
      for (const path of [`/${file}`, `/section/world/${file}`]) {
        const response = await fetch(`${baseUrl}${path}`);
        expect(response.status, path).toBe(200);
        expect(response.headers.get("content-type"), path).toContain(type);
        expect(await response.text(), path).toMatch(/https?:\/\/[^"<]+\/article\/[a-z0-9-]+/);
      }
    }
    expect((await fetch(`${baseUrl}/section/no-such-section/feed.json`)).status).toBe(404);
    const sitemap = await (await fetch(`${baseUrl}/sitemap.xml`)).text();
    expect(sitemap).toContain("<urlset");
    expect(sitemap).toMatch(/<lastmod>\d{4}-/);
    const robots = await (await fetch(`${baseUrl}/robots.txt`)).text();
    expect(robots).toMatch(/Sitemap: https?:\/\/.+\/sitemap\.xml/);
    // every reader page names the site's feed in its head; a section page its own feed first
    const feedsLinked = async (path: string) => {
      const html = await (await fetch(`${baseUrl}${path}`)).text();
      return [...html.matchAll(/<link rel="alternate" type="application\/(?:rss\+xml|atom\+xml|feed\+json)"[^>]*href="([^"]+)"/g)].map((m) => new URL(m[1]!, baseUrl).pathname);
    };
    for (const path of ["/", `/article/${demoArticles[0]!.slug}`, "/tag/climate", "/search?q=river"]) expect(await feedsLinked(path), path).toEqual(["/feed.xml", "/feed.atom", "/feed.json"]);
    expect(await feedsLinked("/section/world")).toEqual(["/section/world/feed.xml", "/feed.xml", "/section/world/feed.atom", "/feed.atom", "/section/world/feed.json", "/feed.json"]);
  });
});

describe("operations", () => {
  it("answers /api/health with 200 ok while the database answers", async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("loads an article's hero eagerly in responsive sizes from the image optimizer", async () => {
    const withHero = demoArticles.find((a) => a.hero)!;
    await page.goto(`${baseUrl}/article/${withHero.slug}`);
    const hero = page.locator("article figure img").first();
    expect(await hero.getAttribute("alt")).toBe(withHero.hero!.alt);
    expect(await hero.getAttribute("loading")).not.toBe("lazy");
    expect(await hero.getAttribute("fetchpriority")).toBe("high");
    const srcset = (await hero.getAttribute("srcset"))!;
    expect(srcset.split(", ").length).toBeGreaterThan(3);
    const smallest = srcset.split(", ")[0]!.split(" ")[0]!;
    const response = await fetch(new URL(smallest, baseUrl), { headers: { Accept: "image/avif,image/webp,image/*" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\/(avif|webp)$/);
  });

  it("serves hero images with their real type, nosniff and a long cache lifetime", async () => {
    await page.goto(`${baseUrl}/`);
    const src = await page.locator("article img").first().getAttribute("src");
    const response = await fetch(`${baseUrl}${src}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${baseUrl}/media/..%2F..%2Fpglite.lock`)).status).toBe(404);
  });

  it("serves the icons the pages link for good, and the bare ones for a day", async () => {
    await page.goto(`${baseUrl}/`);
    const links = await page.locator('link[rel="icon"]').evaluateAll((nodes) => nodes.map((node) => [node.getAttribute("href")!, node.getAttribute("type")!] as const));
    expect(links.map(([href]) => href.split("?")[0])).toEqual(expect.arrayContaining(["/favicon.ico", "/icon.svg"]));
    for (const [href, type] of links) {
      expect(href, "the link carries Next's content hash").toMatch(/\?.+/);
      const linked = await fetch(`${baseUrl}${href}`);
      expect(linked.status).toBe(200);
      expect(linked.headers.get("content-type")).toBe(type);
      expect(linked.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const bare = await fetch(`${baseUrl}${href.split("?")[0]}`);
      expect(bare.headers.get("cache-control")).toBe("public, max-age=86400");
      expect(Buffer.from(await bare.arrayBuffer()).equals(Buffer.from(await linked.arrayBuffer()))).toBe(true);
      expect((await fetch(`${baseUrl}${href}`, { headers: { "If-None-Match": linked.headers.get("etag")! } })).status).toBe(304);
    }
  });
});
