import AxeBuilder from "@axe-core/playwright";
import { describe, expect, inject, it } from "vitest";
import { demoArticles } from "@/db/seed/demo-content";
import { useBrowser } from "../fixtures/e2e-browser";

const { baseUrl } = inject("e2e");
const browser = useBrowser();
const article = demoArticles.find((a) => a.hero && a.source)!;
const pages = {
  front: "/",
  article: `/article/${article.slug}`,
  section: "/section/world",
  tag: `/tag/${article.tags[0]}`,
  author: `/author/${article.authors[0]}`,
  search: "/search?q=river",
  "not found": "/article/no-such-story",
};
const sizes = { mobile: { width: 375, height: 740 }, desktop: { width: 1440, height: 900 } };

describe("accessibility (axe-core, WCAG 2.1 AA)", () => {
  for (const [sizeName, viewport] of Object.entries(sizes)) {
    for (const scheme of ["light", "dark"] as const) {
      it(`finds no violations on any reader page at ${sizeName} size in ${scheme} mode`, async () => {
        const page = await browser.newPage({ viewport, colorScheme: scheme });
        for (const [name, path] of Object.entries(pages)) {
          await page.goto(`${baseUrl}${path}`);
          const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
          const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
          expect(summary, `${name} page (${path})`).toEqual([]);
        }
        await page.close();
      });
    }
  }
});

describe("accessibility of the staff forms anyone can reach", () => {
  it("finds no violations on the sign-in page at mobile and desktop sizes, light and dark", async () => {
    for (const viewport of Object.values(sizes)) {
      for (const scheme of ["light", "dark"] as const) {
        const page = await browser.newPage({ viewport, colorScheme: scheme });
        await page.goto(`${baseUrl}/editor/sign-in?error=invalid`);
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        expect(results.violations.map((v) => v.id), `${viewport.width}px ${scheme}`).toEqual([]);
        await page.close();
      }
    }
  });
});

describe("reading comfort", () => {
  it("has a skip link, landmarks and one h1 on every page", async () => {
    const page = await browser.newPage();
    for (const path of Object.values(pages)) {
      await page.goto(`${baseUrl}${path}`);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent), path).toBe("Skip to content");
      expect(await page.locator("header").count(), path).toBeGreaterThan(0);
      expect(await page.locator("main").count(), path).toBe(1);
      expect(await page.locator("h1").count(), path).toBe(1);
    }
  });

  it("follows the system colour scheme and lets the reader switch it, with the choice remembered", async () => {
    const page = await browser.newPage({ colorScheme: "dark" });
    await page.goto(`${baseUrl}/`);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(19, 20, 23)");
    await page.getByRole("button", { name: /^Theme/ }).click();
    expect(await background()).toBe("rgb(251, 250, 247)");
    await page.goto(`${baseUrl}/section/world`);
    expect(await background()).toBe("rgb(251, 250, 247)");
  });

  it("keeps an article's line length readable on a desktop", async () => {
    const page = await browser.newPage({ viewport: sizes.desktop });
    await page.goto(`${baseUrl}/article/${article.slug}`);
    const { width, fontSize } = await page.evaluate(() => {
      const p = document.querySelector(".article-body p")!;
      return { width: p.getBoundingClientRect().width, fontSize: parseFloat(getComputedStyle(p).fontSize) };
    });
    const charactersPerLine = width / (fontSize * 0.5);
    expect(charactersPerLine).toBeGreaterThan(50);
    expect(charactersPerLine).toBeLessThan(90);
  });
});
