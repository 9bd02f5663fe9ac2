import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { articleAuthors, articles, auditLog } from "@/db/schema";
import type { StaffSession } from "@/lib/auth/session";
import { paragraphTexts } from "@/lib/rich-text/plain-text";
import { countRows, makeStaff } from "../../fixtures/builders";
import { readShared, sampleArticleParagraphs } from "../../fixtures/shared";
import { sessionOf, type Staff } from "./helpers";

let session: StaffSession | null = null;
vi.mock("@/lib/auth/session", async () => (await import("../../fixtures/session-mock")).sessionModuleAnswering(() => session));

const { POST: importArticle } = await import("@/app/api/staff/import/article/route");

let writer: Staff;
beforeAll(async () => {
  writer = await makeStaff("writer", "Paste Writer");
});

const urlencoded = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/staff/import/article", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields) });

const multipart = (file: File, fields: Record<string, string> = {}) => {
  const form = new FormData();
  form.set("file", file);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return new Request("http://localhost/api/staff/import/article", { method: "POST", body: form });
};

async function articleAt(response: Response) {
  expect(response.status).toBe(303);
  const id = /^\/editor\/articles\/([0-9a-f-]+)$/.exec(response.headers.get("location") ?? "")?.[1];
  expect(id).toBeDefined();
  const db = await getDb();
  const [row] = await db.select().from(articles).where(eq(articles.id, id!));
  const authors = await db.select({ userId: articleAuthors.userId }).from(articleAuthors).where(eq(articleAuthors.articleId, id!));
  const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, id!));
  return { row: row!, authors: authors.map((a) => a.userId), audit: audit.map((a) => a.action) };
}

describe("importing an article from the dashboard", () => {
  it("turns the pasted sample article into the importer's draft with its headline and source", async () => {
    session = sessionOf(writer);
    const response = await importArticle(urlencoded({ text: readShared("seed-article.txt").toString("utf8"), sourceUrl: "https://example.com/original" }));
    const { row, authors, audit } = await articleAt(response);
    const sample = sampleArticleParagraphs();
    expect(row).toMatchObject({ title: sample.headline, status: "draft", sourceUrl: "https://example.com/original", sourceName: "example.com", createdBy: writer.id });
    expect(paragraphTexts(row.body as never)).toEqual(sample.paragraphs);
    expect(authors).toEqual([writer.id]);
    expect(audit).toEqual(["article.create"]);
  });

  it("takes an uploaded sample file and an uploaded Markdown file", async () => {
    session = sessionOf(writer);
    const plain = await articleAt(await importArticle(multipart(new File([new Uint8Array(readShared("seed-article.txt"))], "seed.txt", { type: "text/plain" }), { sourceUrl: "https://example.com/a" })));
    expect(plain.row.title).toBe(sampleArticleParagraphs().headline);
    const markdown = "---\ntitle: Markdown arrives\nsource_url: https://news.example/md\nsource_name: News Example\n---\nFirst **bold** paragraph.\n\nSecond paragraph.\n";
    const md = await articleAt(await importArticle(multipart(new File([markdown], "story.md", { type: "text/markdown" }))));
    expect(md.row).toMatchObject({ title: "Markdown arrives", sourceUrl: "https://news.example/md", sourceName: "News Example", status: "draft" });
    expect(paragraphTexts(md.row.body as never)).toEqual(["First bold paragraph.", "Second paragraph."]);
  });

  it("reads a pasted Markdown article that opens with a # heading", async () => {
    session = sessionOf(writer);
    const { row } = await articleAt(await importArticle(urlencoded({ text: "# Pasted heading\n\nA *pasted* paragraph.\n" })));
    expect(row.title).toBe("Pasted heading");
    expect(paragraphTexts(row.body as never)).toEqual(["A pasted paragraph."]);
  });

  it("answers 400 with a message for an empty or unreadable paste, and saves nothing", async () => {
    session = sessionOf(writer);
    const before = await countRows({ articles });
    for (const fields of <Record<string, string>[]>[{ text: "" }, { text: "   \n\n " }, {}, { text: "---\ntitle: [unclosed\n" }, { text: "# Only a heading\n" }, { text: "Headline\n\nBody.", sourceUrl: "javascript:alert(1)" }]) {
      const response = await importArticle(urlencoded(fields));
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text()).toMatch(/^The article could not be imported: .+/);
    }
    const binary = await importArticle(multipart(new File([new Uint8Array([0xff, 0xfe, 0x00, 0x01])], "x.txt")));
    expect(binary.status).toBe(400);
    const wrongType = await importArticle(multipart(new File(["Headline\n\nBody"], "x.exe")));
    expect(wrongType.status).toBe(400);
    expect(await countRows({ articles })).toEqual(before);
  });

  it("sends a browser back to the page with the message", async () => {
    session = sessionOf(writer);
    const response = await importArticle(urlencoded({ text: "" }, { Accept: "text/html" }));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/editor\/import\?error=The%20article%20could%20not%20be%20imported/);
  });

  it("refuses anonymous callers and over-large bodies", async () => {
    session = null;
    expect((await importArticle(urlencoded({ text: "x" }))).status).toBe(401);
    session = sessionOf(writer);
    expect((await importArticle(urlencoded({ text: "a".repeat(600 * 1024) }))).status).toBe(413);
  });
});
