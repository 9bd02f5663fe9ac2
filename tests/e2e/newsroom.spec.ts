import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { useBrowser } from "../fixtures/e2e-browser";
import { staffCookie } from "../fixtures/e2e-staff";

// The newsroom on the production build, in Chromium: a writer drafts and submits, an editor edits and
// publishes, readers see it everywhere at once; two people saving the same article get a conflict
// view, a reload keeps what was typed, and unpublishing takes it away again.
const { baseUrl, photographer: writer, editor } = inject("e2e");
const browser = useBrowser();

async function signedInPage(account: { email: string; password: string }): Promise<Page> {
  const cookie = await staffCookie(baseUrl, account);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.context().addCookies(cookie.split("; ").map((pair) => ({ name: pair.split("=")[0]!, value: pair.slice(pair.indexOf("=") + 1), url: baseUrl })));
  return page;
}

const saveState = (page: Page) => page.locator("[data-save-state]").getAttribute("data-save-state");

async function typeBody(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Body" }).click();
  await page.keyboard.press("End");
  await page.keyboard.type(text);
}

const headline = `Lighthouse keepers return to Skerry Point ${Date.now().toString(36)}`;
let articleUrl = "";

describe("the newsroom", () => {
  it("lets a writer draft with autosave and submit for review, after which the draft is out of the writer's hands", async () => {
    const page = await signedInPage(writer);
    await page.goto(`${baseUrl}/editor`);
    await page.getByRole("button", { name: "New article" }).click();
    await page.waitForURL(/\/editor\/articles\/[0-9a-f-]{36}$/);
    articleUrl = page.url();
    await page.getByLabel("Title", { exact: true }).fill(headline);
    await page.getByLabel("Dek").fill("After twenty years of automation, the light has keepers again.");
    await typeBody(page, "The first keeper arrived on a grey morning with two suitcases and a cat.");
    await expect.poll(() => saveState(page), { timeout: 15_000 }).toBe("saved");
    await page.getByLabel("Section").selectOption({ label: "World" });
    await page.getByLabel("Tags").fill("Lighthouses, Coast");
    await expect.poll(() => saveState(page), { timeout: 15_000 }).toBe("saved");
    // nothing is public yet
    expect((await fetch(`${baseUrl}/search?q=${encodeURIComponent("Skerry Point")}`).then((r) => r.text())).includes(headline)).toBe(false);

    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect.poll(() => page.locator("[data-article-status]").textContent()).toBe("In review");
    await page.reload();
    expect(await page.getByLabel("Title", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Publish" }).count()).toBe(0);
  });

  it("lets an editor find it in review, edit, and publish it: readers see it on the front page, its section, search, the feed and the sitemap", async () => {
    const page = await signedInPage(editor);
    await page.goto(`${baseUrl}/editor`);
    await page.getByRole("region", { name: "In review" }).getByRole("link", { name: headline }).click();
    await page.waitForURL(articleUrl);
    await typeBody(page, " She unpacked the cat first.");
    await expect.poll(() => saveState(page), { timeout: 15_000 }).toBe("saved");
    // the readers' pages are cached before the publish
    for (const path of ["/", "/section/world", "/feed.xml", "/sitemap.xml"]) await fetch(`${baseUrl}${path}`);
    const started = Date.now();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => page.locator("[data-article-status]").textContent()).toBe("Published");
    const slug = (await page.getByRole("link", { name: /^\/article\// }).textContent())!.replace("/article/", "");
    expect(slug).toMatch(/^lighthouse-keepers-return-to-skerry-point/);
    const article = await fetch(`${baseUrl}/article/${slug}`);
    expect(article.status).toBe(200);
    expect(await article.text()).toContain("She unpacked the cat first.");
    for (const path of ["/", "/section/world", `/search?q=${encodeURIComponent("Skerry Point")}`, "/feed.xml"]) {
      expect(await (await fetch(`${baseUrl}${path}`)).text(), path).toContain(headline.replace(/'/g, "&#x27;"));
    }
    expect(await (await fetch(`${baseUrl}/sitemap.xml`)).text()).toContain(`/article/${slug}`);
    console.log(`publish-to-visible: ${Date.now() - started} ms (click to every page checked)`);
  });

  it("shows a conflict view when two people save the same article, losing nobody's words", async () => {
    const first = await signedInPage(editor);
    const second = await signedInPage(editor); // the same account in a second browser: a second tab or machine
    await first.goto(articleUrl);
    await second.goto(articleUrl);
    // a published article changes for readers only on Update (no autosave to the live page)
    await typeBody(first, " First editor's sentence.");
    await first.waitForTimeout(2_500);
    expect(await saveState(first)).toBe("unsaved");
    await first.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(first), { timeout: 15_000 }).toBe("saved");
    await typeBody(second, " Second editor's sentence.");
    await second.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("conflict");
    const conflict = second.getByRole("region", { name: "Conflict" });
    expect(await conflict.locator("[data-conflict=theirs-body]").textContent()).toContain("First editor's sentence.");
    expect(await conflict.locator("[data-conflict=mine-body]").textContent()).toContain("Second editor's sentence.");
    await conflict.getByRole("button", { name: "Keep mine" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("saved");
    await first.reload();
    expect(await first.getByRole("textbox", { name: "Body" }).textContent()).toContain("Second editor's sentence.");
  });

  it("merges a conflict field by field: my headline with their body", async () => {
    const first = await signedInPage(editor);
    const second = await signedInPage(editor);
    await first.goto(articleUrl);
    await second.goto(articleUrl);
    await typeBody(first, " Merge: first body.");
    await first.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(first), { timeout: 15_000 }).toBe("saved");
    await second.getByLabel("Title", { exact: true }).fill(`${headline} (merged)`);
    await typeBody(second, " Merge: second body.");
    await second.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("conflict");
    const conflict = second.getByRole("region", { name: "Conflict" });
    await conflict.getByRole("radiogroup", { name: "Title" }).getByLabel("Mine").check();
    await conflict.getByRole("radiogroup", { name: "Body" }).getByLabel("Theirs").check();
    await conflict.getByRole("button", { name: "Save the merge" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("saved");
    await first.reload();
    expect(await first.getByLabel("Title", { exact: true }).inputValue()).toBe(`${headline} (merged)`);
    const body = await first.getByRole("textbox", { name: "Body" }).textContent();
    expect(body).toContain("Merge: first body.");
    expect(body).not.toContain("Merge: second body.");
    await first.close();
    await second.close();
  });

  it("shows who else has the article open, and a take-over turns the other editor read-only", async () => {
    const first = await signedInPage(editor);
    await first.goto(articleUrl);
    await expect.poll(() => first.locator("[data-save-state]").count()).toBe(1);
    const second = await signedInPage(editor); // the same account in another browser: another editor of it
    await second.goto(articleUrl);
    await expect.poll(() => second.locator("[data-presence]").textContent(), { timeout: 15_000 }).toContain(editor.name);
    await expect.poll(() => first.locator("[data-presence]").textContent(), { timeout: 15_000 }).toContain("Also editing now:");
    await second.getByRole("button", { name: "Take over" }).click();
    await expect.poll(() => first.getByRole("alert").filter({ hasText: "took over this article" }).count(), { timeout: 15_000 }).toBe(1);
    expect(await first.getByLabel("Title", { exact: true }).isDisabled()).toBe(true);
    expect(await second.getByLabel("Title", { exact: true }).isDisabled()).toBe(false);
    await first.close();
  });

  it("keeps what was typed across a reload before the autosave, and offers it back", async () => {
    const page = await signedInPage(editor);
    await page.goto(articleUrl);
    await typeBody(page, " Typed just before the tab was reloaded.");
    await page.reload(); // within the autosave delay: only the browser's copy has it
    await page.getByRole("button", { name: "Restore my changes" }).click();
    expect(await page.getByRole("textbox", { name: "Body" }).textContent()).toContain("Typed just before the tab was reloaded.");
    await page.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(page), { timeout: 15_000 }).toBe("saved");
    await page.reload();
    expect(await page.getByRole("button", { name: "Restore my changes" }).count()).toBe(0);
    expect(await page.getByRole("textbox", { name: "Body" }).textContent()).toContain("Typed just before the tab was reloaded.");
  });

  it("lists revisions, shows what changed between two, and restores an earlier one as a new version", async () => {
    const page = await signedInPage(editor);
    await page.goto(`${articleUrl}/revisions`);
    // newest against the one before: the sentence restored from the browser's copy was the last change
    const changes = page.getByRole("region", { name: "Changes" });
    expect((await changes.locator("ins").allTextContents()).join("")).toContain("Typed just before the tab was reloaded.");
    const rows = page.locator("tr[data-revision-version]");
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    const previous = rows.nth(1);
    const restoredVersion = await previous.getAttribute("data-revision-version");
    await previous.getByRole("button", { name: `Restore version ${restoredVersion}` }).click();
    await page.waitForURL(/done=restore/);
    await page.goto(articleUrl);
    expect(await page.getByRole("textbox", { name: "Body" }).textContent()).not.toContain("Typed just before the tab was reloaded.");
  });

  it("starts a merge from what each side changed, and keeps the version given up in the revision history", async () => {
    const first = await signedInPage(editor);
    const second = await signedInPage(editor);
    await first.goto(articleUrl);
    await second.goto(articleUrl);
    await first.getByLabel("Dek").fill("A dek only the first editor wrote.");
    await first.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(first), { timeout: 15_000 }).toBe("saved");
    await typeBody(second, " Set aside: the second editor's sentence.");
    await second.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("conflict");
    const conflict = second.getByRole("region", { name: "Conflict" });
    // the second editor changed only the body: the merge offers theirs for the dek, mine for the body
    expect(await conflict.getByRole("radiogroup", { name: "Dek" }).getByLabel("Theirs").isChecked()).toBe(true);
    expect(await conflict.getByRole("radiogroup", { name: "Body" }).getByLabel("Mine").isChecked()).toBe(true);
    await conflict.getByRole("button", { name: "Keep theirs" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("saved");
    expect(await second.getByRole("textbox", { name: "Body" }).textContent()).not.toContain("Set aside:");
    // the sentence given up is a revision of its own, and restoring it brings it back
    await second.goto(`${articleUrl}/revisions`);
    // newest first: the merge in the test before set one aside too
    const setAside = second.locator("tr[data-revision-version]").filter({ hasText: "set aside in a conflict" }).first();
    await setAside.getByRole("button", { name: "Restore the set-aside copy" }).click();
    await second.waitForURL(/done=restore/);
    await second.goto(articleUrl);
    expect(await second.getByRole("textbox", { name: "Body" }).textContent()).toContain("Set aside: the second editor's sentence.");
    await first.close();
    await second.close();
  });

  it("keeps each tab's unsaved words apart: a save in one tab leaves another tab's copy to be offered back", async () => {
    const first = await signedInPage(editor);
    const second = await first.context().newPage(); // the same browser: one localStorage
    await first.goto(articleUrl);
    // a published article: what is typed stays in this browser until Update
    await typeBody(first, " Only in the first tab.");
    await expect.poll(() => saveState(first)).toBe("unsaved");
    await second.goto(articleUrl);
    await expect.poll(() => second.getByRole("button", { name: "Restore my changes" }).count(), { timeout: 15_000 }).toBe(1);
    await typeBody(second, " Saved from the second tab.");
    await second.getByRole("button", { name: "Update" }).click();
    await expect.poll(() => saveState(second), { timeout: 15_000 }).toBe("saved");
    await first.close({ runBeforeUnload: false }); // the tab is gone; its copy is not
    const reopened = await second.context().newPage();
    await reopened.goto(articleUrl);
    await reopened.getByRole("button", { name: "Restore my changes" }).click();
    const body = await reopened.getByRole("textbox", { name: "Body" }).textContent();
    expect(body).toContain("Only in the first tab.");
    await reopened.context().close();
  });

  it("previews a draft for staff through draft mode, and shares a link that shows that draft only, to anyone", async () => {
    const page = await signedInPage(editor);
    await page.goto(`${baseUrl}/editor`);
    await page.getByRole("button", { name: "New article" }).click();
    await page.waitForURL(/\/editor\/articles\/[0-9a-f-]{36}$/);
    const title = `Unreleased: the tide tables of ${Date.now().toString(36)}`;
    await page.getByLabel("Title", { exact: true }).fill(title);
    await typeBody(page, "Embargoed until the almanac is printed.");
    const [preview] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: "Preview" }).click()]);
    await preview.waitForLoadState();
    expect(await preview.locator("main h1").textContent()).toBe(title);
    expect(await preview.getByRole("note").textContent()).toContain("Preview of the draft version");
    const draftPath = new URL(preview.url()).pathname;
    // not for anyone else
    expect((await fetch(`${baseUrl}${draftPath}`)).status).toBe(404);

    await page.getByRole("button", { name: "Share preview link" }).click();
    const link = await page.getByLabel(/Preview link/).inputValue();
    expect(link).toMatch(/\/preview\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const shared = await fetch(link);
    expect(shared.status).toBe(200);
    const html = await shared.text();
    expect(html).toContain(title);
    expect(html).toMatch(/<meta name="robots" content="noindex, nofollow"/);
    expect(shared.headers.get("cache-control")).toMatch(/no-store|private/);
    // an altered token shows nothing
    const [payload, signature] = link.split("/preview/")[1]!.split(".");
    // a different first character (a payload that already starts with "0" would otherwise come back unchanged)
    const altered = Buffer.from(Buffer.from(payload!, "base64url").toString().replace(/^./, (c) => (c === "0" ? "1" : "0"))).toString("base64url");
    expect((await fetch(`${baseUrl}/preview/${altered}.${signature}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/preview/${payload}.${signature!.slice(1)}`)).status).toBe(404);
  });

  it("adds a dated correction to a published article, shown under it at once", async () => {
    const page = await signedInPage(editor);
    await page.goto(articleUrl);
    const slug = (await page.getByRole("link", { name: /^\/article\// }).textContent())!.replace("/article/", "");
    await page.getByLabel("New correction").fill("An earlier version misspelled Skerry Point.");
    await page.getByRole("button", { name: "Add correction" }).click();
    await page.waitForURL(/done=correct/);
    expect(await page.getByRole("region", { name: "Corrections" }).textContent()).toContain("misspelled Skerry Point");
    expect(await (await fetch(`${baseUrl}/article/${slug}`)).text()).toContain("An earlier version misspelled Skerry Point.");
  });

  it("pastes from Google Docs cleanly: its bold wrapper and images are dropped, real bold and italics kept", async () => {
    const page = await signedInPage(editor);
    await page.goto(`${baseUrl}/editor`);
    await page.getByRole("button", { name: "New article" }).click();
    await page.waitForURL(/\/editor\/articles\/[0-9a-f-]{36}$/);
    await page.getByLabel("Title", { exact: true }).fill("Pasted from a document");
    const docs = '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b"><p dir="ltr"><span style="font-weight:400">Pasted from Docs, </span><span style="font-weight:700">this part bold</span></p><img src="http://127.0.0.1:8999/canary/pasted.png"><p dir="ltr"><span style="font-style:italic">and this line in italics</span></p></b>';
    await page.getByRole("textbox", { name: "Body" }).click();
    await page.evaluate((html) => {
      const data = new DataTransfer();
      data.setData("text/html", html);
      data.setData("text/plain", "Pasted from Docs");
      document.querySelector('[aria-label="Body"]')!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, docs);
    await expect.poll(() => saveState(page), { timeout: 15_000 }).toBe("saved");
    await page.reload();
    const body = page.getByRole("textbox", { name: "Body" });
    await body.waitFor(); // the editor mounts after hydration
    expect(await body.locator("strong").allTextContents()).toEqual(["this part bold"]);
    expect(await body.locator("em").allTextContents()).toEqual(["and this line in italics"]);
    expect(await body.locator("img").count()).toBe(0);
    expect(await body.textContent()).toContain("Pasted from Docs, this part bold");
  });

  it("takes an unpublished article off every reader page at once", async () => {
    const page = await signedInPage(editor);
    await page.goto(articleUrl);
    const slug = (await page.getByRole("link", { name: /^\/article\// }).textContent())!.replace("/article/", "");
    await page.getByRole("button", { name: "Unpublish" }).click();
    await expect.poll(() => page.locator("[data-article-status]").textContent()).toBe("Draft");
    expect((await fetch(`${baseUrl}/article/${slug}`)).status).toBe(404);
    for (const path of ["/", "/section/world", `/search?q=${encodeURIComponent("Skerry Point")}`, "/feed.xml", "/sitemap.xml"]) {
      expect(await (await fetch(`${baseUrl}${path}`)).text(), path).not.toContain(slug);
    }
  });
});
