import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoArticles } from "@/db/seed/demo-content";
import { launchBrowser } from "../fixtures/browser";

const { baseUrl } = inject("e2e");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => browser?.close());

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

  it("gets a 404 page for an unknown or malformed article", async () => {
    for (const path of ["/article/no-such-story", "/article/UPPER-case", "/section/no-such-section", "/tag/no-such-tag", "/author/no-such-author", "/section/world?page=999", "/no/such/page"]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response?.status(), path).toBe(404);
    }
    expect(await page.locator("h1").textContent()).toBe("Page not found");
  });

  it("gets a 400 with a plain message for a malformed address, never a 500", async () => {
    for (const path of ["/article/%E0%A4%A", "/article/%", "/%c0%ae%c0%ae/", "/article/a%00b"]) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(400);
      expect(await response.text()).toMatch(/^Bad request: /);
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

describe("operations", () => {
  it("answers /api/health with 200 ok while the database answers", async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
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
});
