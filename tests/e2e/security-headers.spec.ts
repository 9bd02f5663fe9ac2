import { describe, expect, inject, it } from "vitest";
import { demoArticles } from "@/db/seed/demo-content";
import { useBrowser } from "../fixtures/e2e-browser";

const { baseUrl } = inject("e2e");
const browser = useBrowser();
const article = demoArticles.find((a) => a.hero)!;
const pages = ["/", `/article/${article.slug}`, "/section/world", "/search?q=river"];

describe("security headers on reader pages", () => {
  it("send a content security policy without eval, plugins, <base> or foreign framing, plus nosniff and a referrer policy", async () => {
    for (const path of pages) {
      const response = await fetch(`${baseUrl}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("base-uri 'none'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).toContain("frame-ancestors 'self'");
      expect(csp, path).not.toContain("unsafe-eval");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("permissions-policy"), path).toContain("camera=()");
    }
  });

  it("let the pages work under that policy: no violation while they load, hydrate and switch theme", async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __violations: string[] }).__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    for (const path of pages) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
      await page.getByRole("button", { name: /^Theme/ }).click();
      expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), path).toEqual([]);
    }
  });

  it("keep media files sandboxed with their own policy", async () => {
    const html = await (await fetch(`${baseUrl}/article/${article.slug}`)).text();
    const media = /"(\/media\/[0-9a-f-]+\.webp)"/.exec(html)?.[1] ?? /(\/media\/[0-9a-f-]+-\d+\.webp)/.exec(html)?.[1];
    expect(media).toBeTruthy();
    const response = await fetch(`${baseUrl}${media}`);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  });
});
