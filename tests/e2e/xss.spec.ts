import { describe, expect, inject, it } from "vitest";
import { useBrowser } from "../fixtures/e2e-browser";
import { readXssCorpus, useInertCheck } from "../fixtures/xss-corpus";

// The XSS corpus, stored through lib/ in every plain-text field and the body, rendered in Chromium:
// nothing may execute (no dialog, no canary request) and no active markup may reach the DOM.

const { baseUrl, hostile } = inject("e2e");
const browser = useBrowser();
const { canaryHits, expectInert } = useInertCheck(baseUrl);

describe("stored and reflected XSS", () => {
  it("stores payloads in every field, and every reader page that shows them stays inert", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    const paths = [
      "/",
      `/section/${hostile.section}`,
      ...hostile.articles.map((slug) => `/article/${slug}`),
      ...hostile.tags.slice(0, 10).map((slug) => `/tag/${slug}`),
      ...hostile.authors.map((slug) => `/author/${slug}`),
      "/search?q=alert",
    ];
    expect(hostile.articles.length).toBeGreaterThan(5);
    for (const path of paths) await expectInert(page, path, dialogs);
    // what was typed is what is shown: titles are escaped text, not stripped
    await page.goto(`${baseUrl}/article/${hostile.articles[0]}`);
    expect(await page.locator("h1").textContent()).toBe(readXssCorpus()[0]!.payloads[0]);
    expect(canaryHits).toEqual([]);
  }, 180_000);

  it("reflects every search payload as text, never as markup", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const payloads = readXssCorpus()
      .filter((s) => s.targets.includes("search") || s.targets.includes("all-text"))
      .flatMap((s) => s.payloads);
    expect(payloads.length).toBeGreaterThan(20);
    for (const payload of payloads) await expectInert(page, `/search?q=${encodeURIComponent(payload)}`, dialogs);
    expect(canaryHits).toEqual([]);
  }, 180_000);

  it("keeps the feeds and sitemap well-formed with hostile titles", async () => {
    for (const path of ["/feed.xml", `/section/${hostile.section}/feed.xml`, "/feed.atom", `/section/${hostile.section}/feed.atom`, "/sitemap.xml"]) {
      const page = await browser.newPage();
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(200);
      // Chromium renders an XML parse error page for malformed XML
      expect(await page.locator("parsererror").count(), path).toBe(0);
    }
    for (const path of ["/feed.json", `/section/${hostile.section}/feed.json`]) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.headers.get("content-type"), path).toContain("application/feed+json");
      expect((await response.json()).items.length, path).toBeGreaterThan(0);
    }
  });
});
