import { describe, expect, inject, it } from "vitest";
import { useBrowser } from "../fixtures/e2e-browser";
import { staffCookie } from "../fixtures/e2e-staff";
import { readXssCorpus, useInertCheck } from "../fixtures/xss-corpus";

// The XSS corpus straight through the editor's save action, into the body and every text field of
// a published article, then rendered in Chromium where it shows: the article page, the shared
// preview, the editor itself and the dashboard list. Nothing may execute; unsafe link URLs are
// refused at the save (400) rather than stored.
const { baseUrl, editor } = inject("e2e");
const browser = useBrowser();
const { canaryHits, expectInert } = useInertCheck(baseUrl);

type Save = { status: number; version?: number; slug?: string; error?: string };

describe("the XSS corpus through the editor", () => {
  it("stores every payload as text in every field, and every page that shows it stays inert", async () => {
    const cookie = await staffCookie(baseUrl, editor);
    const headers = { Origin: baseUrl, cookie };
    const created = await fetch(`${baseUrl}/api/staff/articles`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
    const id = /\/editor\/articles\/([0-9a-f-]{36})$/.exec(created.headers.get("location") ?? "")![1]!;
    let version = 1;
    const save = async (fields: Record<string, unknown>): Promise<Save> => {
      const response = await fetch(`${baseUrl}/api/staff/articles/${id}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ article: { version, title: "XSS through the editor", body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Safe." }] }] }, ...fields } }),
      });
      const answer = (await response.json()) as Save;
      if (answer.version) version = answer.version;
      return { ...answer, status: response.status };
    };
    expect((await save({})).status).toBe(200);
    const published = await fetch(`${baseUrl}/api/staff/articles/${id}/publish`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }, body: new URLSearchParams({ version: String(version) }) });
    expect(published.status).toBe(200);
    version = ((await published.json()) as { version: number }).version;
    const slug = (await save({})).slug!; // publishing gave it an address made from the title
    const share = (await (await fetch(`${baseUrl}/api/staff/articles/${id}/share`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }, body: "" })).json()) as { url: string };

    const corpus = readXssCorpus();
    const textPayloads = corpus.filter((s) => s.targets.some((t) => ["all-text", "title", "alt", "caption"].includes(t))).flatMap((s) => s.payloads);
    const bodyPayloads = corpus.filter((s) => s.targets.includes("body")).flatMap((s) => s.payloads);
    const urlPayloads = corpus.filter((s) => s.targets.includes("link_url")).flatMap((s) => s.payloads);
    expect(textPayloads.length + bodyPayloads.length).toBeGreaterThan(100);

    const page = await browser.newPage();
    await page.context().addCookies(cookie.split("; ").map((pair) => ({ name: pair.split("=")[0]!, value: pair.slice(pair.indexOf("=") + 1), url: baseUrl })));
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });

    const rounds = Math.max(textPayloads.length, bodyPayloads.length);
    for (let i = 0; i < rounds; i++) {
      const text = textPayloads[i % textPayloads.length]!;
      const body = bodyPayloads[i % bodyPayloads.length]!;
      const saved = await save({
        title: text.trim() ? text.slice(0, 300) : "A blank payload", // a live article keeps a headline
        dek: text.slice(0, 500),
        seoTitle: text.slice(0, 120),
        seoDescription: text.slice(0, 320),
        sourceName: text.slice(0, 200),
        sourceUrl: "https://example.com/original",
        body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: body }] }, { type: "pullQuote", content: [{ type: "text", text }] }] },
      });
      expect(saved.status, text).toBe(200);
      await expectInert(page, `/article/${slug}`, dialogs);
      // typed text is shown as typed, not stripped
      if (text.trim()) expect(await page.locator("main h1").textContent(), text).toBe(text.slice(0, 300).trim());
      if (i % 10 === 0) {
        await expectInert(page, share.url, dialogs);
        await expectInert(page, `/editor/articles/${id}`, dialogs);
        await expectInert(page, `/editor?q=${encodeURIComponent(text.slice(0, 100))}`, dialogs);
      }
    }

    // link URLs: unsafe schemes are refused at the save; whatever is accepted renders inert
    let refused = 0;
    for (const href of urlPayloads) {
      const saved = await save({ body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "a link", marks: [{ type: "link", attrs: { href } }] }] }] } });
      expect([200, 400], href).toContain(saved.status);
      if (saved.status === 400) {
        refused += 1;
        expect(saved.error, href).toMatch(/link/i);
      } else {
        await expectInert(page, `/article/${slug}`, dialogs);
      }
    }
    expect(refused).toBeGreaterThan(urlPayloads.length / 2);
    const feed = await browser.newPage();
    await feed.goto(`${baseUrl}/feed.xml`);
    expect(await feed.locator("parsererror").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(canaryHits).toEqual([]);
  }, 300_000);
});
