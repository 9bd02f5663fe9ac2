import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { sniffImageFormat } from "@/lib/media/image";
import { useBrowser } from "../fixtures/e2e-browser";
import { e2eAdmin, staffCookie } from "../fixtures/e2e-staff";
import { sharedDir } from "../fixtures/shared";

// The media library on the production build: the hostile upload corpus through the real endpoint,
// the uploader in Chromium, and the images a profile and the site settings show to readers.
const { baseUrl, photographer: writer, dataDir } = inject("e2e");
const browser = useBrowser();

type Row = { id: string; file: string; name: string; claimedType: string; expect: "ACCEPT" | "REJECT" | "SAFE" | "NAME"; checks: string };

const corpusDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-uploads-"));
let rows: Row[] = [];
let writerCookie = "";

beforeAll(async () => {
  const made = spawnSync("bash", [path.join(sharedDir, "security-corpus/uploads/make_uploads.sh"), corpusDir], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`make_uploads.sh failed: ${made.stderr}`);
  rows = fs
    .readFileSync(path.join(corpusDir, "manifest.tsv"), "utf8")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [id, file, name, claimedType, expectation, checks] = line.split("\t") as [string, string, string, string, Row["expect"], string];
      return { id, file, name, claimedType, expect: expectation, checks };
    });
  writerCookie = await staffCookie(baseUrl, writer);
});

function upload(cookie: string, bytes: Uint8Array, name: string, type: string, extra: Record<string, string> = {}, endpoint = "/api/staff/media") {
  const form = new FormData();
  for (const [key, value] of Object.entries(extra)) form.append(key, value);
  form.append("file", new Blob([Buffer.from(bytes)], { type }), name);
  return fetch(`${baseUrl}${endpoint}`, { method: "POST", headers: { Origin: baseUrl, Accept: "application/json", cookie }, body: form, redirect: "manual" });
}

function mediaFiles(): string[] {
  const root = path.join(dataDir, "media");
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.includes(".")) : [];
}

async function signedInPage(cookie: string): Promise<Page> {
  const page = await browser.newPage();
  await page.context().addCookies(cookie.split("; ").map((pair) => ({ name: pair.split("=")[0]!, value: pair.slice(pair.indexOf("=") + 1), url: baseUrl })));
  return page;
}

describe("media uploads", () => {
  it("handles every file of the hostile upload corpus as its manifest says", async () => {
    const outcomes: string[] = [];
    for (const row of rows) {
      const bytes = fs.readFileSync(path.join(corpusDir, row.file));
      const filesBefore = mediaFiles().length;
      const started = Date.now();
      const response = await upload(writerCookie, bytes, row.name, row.claimedType);
      const seconds = (Date.now() - started) / 1000;
      const body = (await response.json()) as { url?: string; error?: string };
      const label = `${row.id} ${row.expect} (${row.checks})`;
      expect(response.status, label).toBeLessThan(500);
      expect(seconds, label).toBeLessThan(row.id === "U13" ? 5 : 10);
      if (response.status === 201) {
        expect(row.expect, `${label}: accepted`).not.toBe("REJECT");
        // a name made by the server: a uuid and an image extension, nothing from the upload
        expect(body.url, label).toMatch(/^\/media\/[0-9a-f-]{36}\.(jpg|png|webp|avif|gif)$/);
        const served = await fetch(`${baseUrl}${body.url}`);
        const servedBytes = new Uint8Array(await served.arrayBuffer());
        const format = sniffImageFormat(servedBytes);
        expect(format, label).not.toBeNull();
        expect(served.headers.get("content-type"), label).toBe(`image/${format}`);
        expect(served.headers.get("x-content-type-options"), label).toBe("nosniff");
        const text = Buffer.from(servedBytes).toString("latin1");
        for (const marker of ["HARNESS-", "alert(", "<script", "<html"]) expect(text, `${label}: ${marker}`).not.toContain(marker);
      } else {
        expect(row.expect, `${label}: refused with ${response.status} ${body.error}`).not.toBe("ACCEPT");
        expect([400, 413, 415, 422], label).toContain(response.status);
        expect(body.error, label).toMatch(/\w+/);
        if (row.id === "U13") expect(response.status, label).toBe(413);
        // nothing left behind
        expect(mediaFiles().length, label).toBe(filesBefore);
      }
      outcomes.push(`${row.id}:${response.status}`);
    }
    expect(outcomes).toHaveLength(rows.length);
    // the traversal names wrote nothing outside the media folder
    expect(fs.existsSync("/tmp/harness-pwned.png")).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "harness-pwned.png"))).toBe(false);
    // the decompression bombs did not take the server down
    expect((await fetch(`${baseUrl}/api/health`)).status).toBe(200);
  }, 180_000);

  it("refuses uploads from anonymous visitors and from other sites", async () => {
    const png = fs.readFileSync(path.join(corpusDir, "control_ok.png"));
    expect((await upload("", png, "a.png", "image/png")).status).toBe(401);
    const form = new FormData();
    form.append("file", new Blob([png], { type: "image/png" }), "a.png");
    const crossSite = await fetch(`${baseUrl}/api/staff/media`, { method: "POST", headers: { Origin: "https://evil.example", cookie: writerCookie }, body: form });
    expect(crossSite.status).toBe(403);
  });

  it("uploads several files with progress in the library, shows names as text, and asks for alt text", async () => {
    const page = await signedInPage(writerCookie);
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${baseUrl}/editor/media`);
    // the hostile names from the corpus test are shown as typed, executing nothing
    expect(await page.locator("main").textContent()).toContain("<img src=x onerror=alert('FILENAME-1')>.png");
    const png = fs.readFileSync(path.join(corpusDir, "control_ok.png"));
    await page.getByLabel("Images to upload").setInputFiles([
      { name: "harbour-at-dawn.png", mimeType: "image/png", buffer: png },
      { name: "market-stalls.png", mimeType: "image/png", buffer: png },
      { name: "not-really.jpg", mimeType: "image/jpeg", buffer: fs.readFileSync(path.join(corpusDir, "html_as.jpg")) },
    ]);
    const uploads = page.getByRole("list", { name: "Uploads" });
    await expect.poll(() => uploads.locator("[data-upload-state=done]").count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => uploads.locator("[data-upload-state=failed]").textContent()).toContain("not an image");
    // the library lists them after the upload, newest first, each waiting for its alt text
    const card = page.locator("li[data-media-id]", { hasText: "harbour-at-dawn.png" });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain("Needs alt text");
    await card.getByText("Edit details").click();
    await card.getByLabel(/Alt text/).fill("Fishing boats in the harbour at dawn");
    await card.getByLabel("Credit").fill("Wren Writer");
    await card.getByRole("button", { name: "Save details" }).click();
    await page.waitForURL(/done=saved/);
    await page.getByLabel("Find images").fill("fishing boats");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=fishing/);
    expect(await page.locator("li[data-media-id]").count()).toBe(1);
    expect(await page.locator("li[data-media-id]").textContent()).not.toContain("Needs alt text");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
    expect(dialogs).toEqual([]);
  }, 60_000);

  it("uploads an image from inside the article editor, as the hero and as a figure, with its alt text, and keeps both on save", async () => {
    const page = await signedInPage(writerCookie);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}/editor`);
    await page.getByRole("button", { name: "New article" }).click();
    await page.waitForURL(/\/editor\/articles\/[0-9a-f-]{36}$/);
    await page.getByLabel("Title", { exact: true }).fill("Ferry timetables change for winter");
    const png = fs.readFileSync(path.join(corpusDir, "control_ok.png"));

    // the hero: no alt text, no upload; with it, the image goes to the library and becomes the hero
    await page.locator("#hero-upload-file").setInputFiles({ name: "ferry-at-pier.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Upload and use" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "alt text" }).count()).toBe(1);
    await page.locator("#hero-upload-alt").fill("The winter ferry at the pier");
    await page.getByRole("button", { name: "Upload and use" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "ferry-at-pier.png" }).count(), { timeout: 20_000 }).toBe(1);
    const heroId = await page.locator("#hero-image").inputValue();
    expect(heroId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByLabel("Alt text (required to publish)").inputValue()).toBe("The winter ferry at the pier");

    // a figure in the text, from the toolbar's Image button
    await page.getByRole("textbox", { name: "Body" }).click();
    await page.keyboard.type("The last boat leaves at six.");
    await page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Image", exact: true }).click();
    await page.locator("#figure-upload-file").setInputFiles({ name: "timetable-board.png", mimeType: "image/png", buffer: png });
    await page.locator("#figure-upload-alt").fill("The new timetable on the harbour board");
    await page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Upload and use" }).click();
    const figure = page.getByRole("textbox", { name: "Body" }).locator('img[alt="The new timetable on the harbour board"]');
    await expect.poll(() => figure.count(), { timeout: 20_000 }).toBe(1);
    expect(await figure.getAttribute("src")).toMatch(/^\/media\/[0-9a-f-]{36}\.png$/);

    // saved (the server checks both images are in the library) and there after a reload
    await expect.poll(() => page.locator("[data-save-state]").getAttribute("data-save-state"), { timeout: 15_000 }).toBe("saved");
    await page.reload();
    expect(await page.locator("#hero-image").inputValue()).toBe(heroId);
    await expect.poll(() => page.getByRole("textbox", { name: "Body" }).locator('img[alt="The new timetable on the harbour board"]').count(), { timeout: 10_000 }).toBe(1);
    // and both wait in the library with their alt text, for the next article
    await page.goto(`${baseUrl}/editor/media`);
    for (const name of ["ferry-at-pier.png", "timetable-board.png"]) expect(await page.locator("li[data-media-id]", { hasText: name }).textContent()).not.toContain("Needs alt text");
  }, 60_000);

  it("shows a profile photo on the author page, and refuses to delete it while in use", async () => {
    const page = await signedInPage(writerCookie);
    await page.goto(`${baseUrl}/author/${writer.slug}`); // cached before the change
    await page.goto(`${baseUrl}/editor/profile`);
    await page.getByLabel("Profile photo").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: fs.readFileSync(path.join(corpusDir, "control_ok.png")) });
    await page.getByRole("button", { name: "Upload profile photo" }).click();
    await page.waitForURL(/done=photo/);
    const photo = await page.locator(`main img[alt="Photo of ${writer.name}"]`).getAttribute("src");
    expect(photo).toMatch(/^\/media\/[0-9a-f-]{36}\.png$/);
    await page.goto(`${baseUrl}/author/${writer.slug}`);
    expect(await page.locator("main img").first().getAttribute("src")).toBe(photo);

    await page.goto(`${baseUrl}/editor/media?q=me.png`);
    const card = page.locator("li[data-media-id]", { hasText: "me.png" });
    await card.getByText("Edit details").click();
    await card.getByRole("button", { name: "Delete image" }).click();
    await page.waitForURL(/error=/);
    expect(await page.locator("main [role=alert]").textContent()).toContain("profile photo");
    expect((await fetch(`${baseUrl}${photo}`)).status).toBe(200);
  });

  it("finds the images nothing uses, to tidy the library", async () => {
    const lonely = await (await upload(writerCookie, fs.readFileSync(path.join(corpusDir, "control_ok.png")), "lonely-harbour.png", "image/png", { alt: "An empty harbour" })).json() as { id: string };
    const page = await signedInPage(writerCookie);
    await page.goto(`${baseUrl}/editor/media`);
    await page.getByLabel("Only images nothing uses").check();
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/show=unused/);
    const card = page.locator(`li[data-media-id="${lonely.id}"]`);
    expect(await card.getByText("Not used anywhere").count()).toBe(1);
    expect(await page.getByLabel("Only images nothing uses").isChecked()).toBe(true);
    // every card listed is unused
    expect(await page.locator("li[data-media-id]").count()).toBe(await page.locator("li[data-media-id]", { hasText: "Not used anywhere" }).count());
  });

  it("lets another writer neither edit nor delete an upload that is not theirs", async () => {
    const adminCookie = await staffCookie(baseUrl, e2eAdmin);
    const listed = await (await upload(adminCookie, fs.readFileSync(path.join(corpusDir, "control_ok.png")), "admins-own.png", "image/png")).json() as { id: string };
    for (const operation of ["", "/delete"]) {
      const response = await fetch(`${baseUrl}/api/staff/media/${listed.id}${operation}`, {
        method: "POST",
        headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded", cookie: writerCookie },
        body: "alt=mine+now",
        redirect: "manual",
      });
      expect(response.status, operation || "edit").toBe(403);
    }
  });

  it("puts the admin's logo in every page's masthead and the social image in link previews, at the next request", async () => {
    const adminCookie = await staffCookie(baseUrl, e2eAdmin);
    const page = await signedInPage(adminCookie);
    await fetch(`${baseUrl}/`);
    await fetch(`${baseUrl}/section/world`);
    await page.goto(`${baseUrl}/editor/settings`);
    const png = fs.readFileSync(path.join(corpusDir, "control_ok.png"));
    await page.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await page.waitForURL(/done=1/);
    await page.getByLabel("Default social image").setInputFiles({ name: "share.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Upload default social image" }).click();
    await page.waitForURL(/done=1/);

    const masthead = async () => (await (await fetch(`${baseUrl}/`)).text()).split("</header>")[0]!;
    expect(await masthead()).toMatch(/<img src="\/media\/[0-9a-f-]{36}\.png" alt="[^"]+"/);
    const section = await (await fetch(`${baseUrl}/section/world`)).text();
    expect(section).toMatch(/<meta property="og:image" content="http[^"]+\/media\/[0-9a-f-]{36}\.png"/);

    await page.goto(`${baseUrl}/editor/settings`);
    await page.getByRole("button", { name: "Remove logo" }).click();
    await page.waitForURL(/done=1/);
    expect(await masthead()).not.toContain("<img");
  });
});
