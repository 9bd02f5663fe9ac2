import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { useBrowser } from "../fixtures/e2e-browser";
import { sampleArticleParagraphs, sharedDir } from "../fixtures/shared";
import { runImportCli } from "../setup/e2e-server";

const context = inject("e2e");
const sampleFile = path.join(sharedDir, "seed-article.txt");
const cliEnv = { DATA_DIR: context.dataDir, DATABASE_URL: context.databaseUrl ?? "" };
const browser = useBrowser();
let page: Page;

beforeAll(async () => {
  page = await browser.newPage();
});

async function expectSampleArticleAt(slug: string) {
  const response = await page.goto(`${context.baseUrl}/article/${slug}`);
  expect(response?.status()).toBe(200);
  const sample = sampleArticleParagraphs();
  expect(await page.locator("h1").textContent()).toBe("Putin on the fritz? U.S. not buying Russia’s deescalation talk.");
  const shown = await page.locator(".article-body > p").allTextContents();
  expect(shown).toHaveLength(sample.paragraphs.length);
  sample.paragraphs.forEach((paragraph, index) => expect(shown[index], `paragraph ${index + 1}`).toBe(paragraph));
  expect(await page.getByRole("link", { name: "Go To Source" }).getAttribute("href")).toBe("https://example.com/original");
}

describe.runIf(!context.databaseUrl)("npm run import on the embedded database", () => {
  it("refuses plainly while the server holds the database, naming the process and the dashboard", () => {
    const result = runImportCli([sampleFile, "--publish", "--source-url", "https://example.com/original"], cliEnv);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`The embedded database at ${path.join(context.dataDir, "pglite")} is in use by process`);
    expect(result.output).toMatch(/magazine-server:\d+/);
    expect(result.output).toContain("/editor/import");
  });

  it("published the sample article imported before the server started, every paragraph in order", async () => {
    expect(context.importedSlug).toBeTruthy();
    await expectSampleArticleAt(context.importedSlug!);
  });
});

describe.runIf(context.databaseUrl)("npm run import on PostgreSQL", () => {
  it("imports while the server runs, and the server shows it at the next request", async () => {
    const result = runImportCli([sampleFile, "--publish", "--source-url", "https://example.com/original"], cliEnv);
    expect(result.output).toMatch(/published at \/article\//);
    expect(result.status).toBe(0);
    const slug = /slug ([a-z0-9-]+)\)/.exec(result.output)![1]!;
    await expectSampleArticleAt(slug);
  });
});
