import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articleMedia, articles, auditLog, media } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { ConflictError } from "@/lib/errors";
import { deleteMedia, listMedia, uploadMedia, type StoredMedia } from "@/lib/media/library";
import type { RichTextDoc } from "@/lib/rich-text/schema";
import { setSiteImage } from "@/lib/settings";
import { setOwnPhoto } from "@/lib/staff/profile";
import { countRows, docOf, failure, makeStaff } from "../../fixtures/builders";
import { auditEntries, mediaRow, pngOf, storedPath, useTempMediaStorage } from "./helpers";

// An image cannot be deleted while anything shows it (409 naming the use, nothing deleted, files
// kept); once the use is gone, it can.

const mediaDir = useTempMediaStorage();
type Staff = Awaited<ReturnType<typeof makeStaff>>;
let writer: Staff;
let editor: Staff;
let admin: Staff;
let png: Uint8Array;

beforeAll(async () => {
  writer = await makeStaff("writer", "Ines Inuse");
  editor = await makeStaff("editor", "Eli Editor");
  admin = await makeStaff("admin", "Abe Admin");
  png = await pngOf(1000, 600); // with 480 and 960 px variants
});

async function uploaded(): Promise<{ stored: StoredMedia; key: string; files: string[] }> {
  const stored = await uploadMedia(writer, { bytes: png, filename: "in-use.png" });
  const row = (await mediaRow(stored.id))!;
  const files = [row.storageKey, ...row.variants.map((v) => v.key)].map((key) => storedPath(mediaDir(), key));
  expect(files).toHaveLength(3);
  return { stored, key: row.storageKey, files };
}

/** Deleting is refused with 409 naming `use`, and nothing changes: row, audit log, files. */
async function expectRefused(id: string, files: string[], use: string) {
  const before = await countRows({ media, auditLog });
  const error = await failure(deleteMedia(editor, id));
  expect(error).toBeInstanceOf(ConflictError);
  expect(error.status).toBe(409);
  expect(error.message).toContain(use);
  expect(await mediaRow(id)).toBeDefined();
  expect(await countRows({ media, auditLog })).toEqual(before);
  expect(files.every((file) => fs.existsSync(file))).toBe(true);
  return error;
}

async function expectDeleted(id: string, files: string[]) {
  await deleteMedia(editor, id);
  expect(await mediaRow(id)).toBeUndefined();
  expect(files.some((file) => fs.existsSync(file))).toBe(false);
  expect(await auditEntries("media.delete", id)).toHaveLength(1);
}

const figureDoc = (attrs: { src: string; mediaId?: string }): RichTextDoc => ({
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "Before the picture." }] },
    { type: "figure", attrs: { alt: "The harbour", caption: "At dawn", ...attrs } },
  ],
});

async function setBody(articleId: string, body: RichTextDoc) {
  const db = await getDb();
  await db.update(articles).set({ body }).where(eq(articles.id, articleId));
}

describe("deleting an image that is in use", () => {
  it("is refused while it is an article's hero, and allowed once the article drops it", async () => {
    const { stored, files } = await uploaded();
    const article = await createArticle(editor, { title: "Hero of the harbour", body: docOf("Text."), hero: { mediaId: stored.id, alt: "The harbour" } });
    await expectRefused(stored.id, files, "the article “Hero of the harbour”");
    // the uploader is refused the same way
    expect((await failure(deleteMedia(writer, stored.id))).status).toBe(409);
    const db = await getDb();
    await db.update(articles).set({ heroMediaId: null, heroAlt: null }).where(eq(articles.id, article.id));
    await expectDeleted(stored.id, files);
  });

  it("is refused while an article body shows it as a figure with its media id", async () => {
    const { stored, key, files } = await uploaded();
    const article = await createArticle(editor, { title: "Body with figure", body: figureDoc({ src: `/media/${key}`, mediaId: stored.id }) });
    await expectRefused(stored.id, files, "the article “Body with figure”");
    await setBody(article.id, docOf("The picture was removed."));
    await expectDeleted(stored.id, files);
  });

  it("is refused while an article body shows it by its /media/ address only (the original or a variant)", async () => {
    for (const variant of [false, true]) {
      const { stored, key, files } = await uploaded();
      const src = variant ? `/media/${stored.id}-960.webp` : `/media/${key}`;
      const title = `Body by address ${variant ? "variant" : "original"}`;
      const article = await createArticle(editor, { title, body: figureDoc({ src }) });
      await expectRefused(stored.id, files, `the article “${title}”`);
      await setBody(article.id, docOf("Gone."));
      await expectDeleted(stored.id, files);
    }
  });

  it("is refused while it is someone's profile photo, and allowed once the photo is removed", async () => {
    const { stored, files } = await uploaded();
    await setOwnPhoto(writer, stored.id);
    await expectRefused(stored.id, files, "Ines Inuse’s profile photo");
    await setOwnPhoto(writer, null);
    await expectDeleted(stored.id, files);
  });

  it("is refused while it is the site logo or the default social image", async () => {
    const { stored, files } = await uploaded();
    await setSiteImage(admin, "logo", stored.id);
    await expectRefused(stored.id, files, "the site logo");
    await setSiteImage(admin, "logo", null);

    await setSiteImage(admin, "socialImage", stored.id);
    await expectRefused(stored.id, files, "the default social image");
    await setSiteImage(admin, "socialImage", null);
    await expectDeleted(stored.id, files);
  });

  it("names every use at once", async () => {
    const { stored, key, files } = await uploaded();
    const article = await createArticle(editor, { title: "Everywhere", body: figureDoc({ src: `/media/${key}`, mediaId: stored.id }), hero: { mediaId: stored.id, alt: "Hero" } });
    await setOwnPhoto(editor, stored.id);
    await setSiteImage(admin, "logo", stored.id);
    const error = await expectRefused(stored.id, files, "the article “Everywhere”");
    expect(error.message).toContain("Eli Editor’s profile photo");
    expect(error.message).toContain("the site logo");

    const db = await getDb();
    await db.update(articles).set({ heroMediaId: null, heroAlt: null, body: docOf("x") }).where(eq(articles.id, article.id));
    await setOwnPhoto(editor, null);
    await expectRefused(stored.id, files, "the site logo");
    await setSiteImage(admin, "logo", null);
    await expectDeleted(stored.id, files);
  });

  it("is not confused by another image's use", async () => {
    const used = await uploaded();
    const free = await uploaded();
    await createArticle(editor, { title: "Uses only one", body: figureDoc({ src: `/media/${used.key}`, mediaId: used.stored.id }), hero: { mediaId: used.stored.id, alt: "x" } });
    await setOwnPhoto(writer, used.stored.id);
    await expectDeleted(free.stored.id, free.files);
    await expectRefused(used.stored.id, used.files, "Uses only one");
  });
});

describe("which images are in use", () => {
  const shownBy = async (articleId: string) =>
    (await (await getDb()).select({ mediaId: articleMedia.mediaId }).from(articleMedia).where(eq(articleMedia.articleId, articleId))).map((r) => r.mediaId).sort();

  it("lists only the images nothing shows when asked for unused ones, and flags each image", async () => {
    const hero = await uploaded();
    const figure = await uploaded();
    const photo = await uploaded();
    const unused = await uploaded();
    await createArticle(editor, { title: "Shows two", body: figureDoc({ src: `/media/${figure.stored.id}-480.webp` }), hero: { mediaId: hero.stored.id, alt: "x" } });
    await setOwnPhoto(admin, photo.stored.id);
    const all = await listMedia(editor, {});
    const flag = (id: string) => all.items.find((item) => item.id === id)?.inUse;
    expect([flag(hero.stored.id), flag(figure.stored.id), flag(photo.stored.id), flag(unused.stored.id)]).toEqual([true, true, true, false]);
    const listed = await listMedia(editor, { unused: true });
    const ids = listed.items.map((item) => item.id);
    expect(ids).toContain(unused.stored.id);
    for (const used of [hero, figure, photo]) expect(ids).not.toContain(used.stored.id);
    expect(listed.items.every((item) => !item.inUse)).toBe(true);
    expect(listed.total).toBe(ids.length);
    // the search and the filter combine
    expect((await listMedia(editor, { unused: true, query: "no such file name" })).total).toBe(0);
    await setOwnPhoto(admin, null);
  });

  it("follows every write of an article's text and hero, however it is made, and ignores what is not in the library", async () => {
    const first = await uploaded();
    const second = await uploaded();
    const article = await createArticle(editor, { title: "Changing pictures", body: figureDoc({ src: `/media/${first.key}` }) });
    expect(await shownBy(article.id)).toEqual([first.stored.id]);
    const db = await getDb();
    // written directly, as a restore or an operator's SQL would: the triggers keep up
    await db.update(articles).set({ heroMediaId: second.stored.id, heroAlt: "x" }).where(eq(articles.id, article.id));
    expect(await shownBy(article.id)).toEqual([first.stored.id, second.stored.id].sort());
    await setBody(article.id, figureDoc({ src: "/media/00000000-0000-4000-8000-000000000000.png", mediaId: "not-an-id" }));
    expect(await shownBy(article.id)).toEqual([second.stored.id]);
    await db.execute(sql`update articles set body = '{"type":"doc"}'::jsonb, hero_media_id = null where id = ${article.id}`);
    expect(await shownBy(article.id)).toEqual([]);
    await db.delete(articles).where(eq(articles.id, article.id));
    await expectDeleted(first.stored.id, first.files);
    // an update of every article that changes no text or hero leaves every use as it was
    const before = await db.select().from(articleMedia).orderBy(articleMedia.articleId, articleMedia.mediaId);
    expect(before.length).toBeGreaterThan(0);
    await db.execute(sql`update articles set updated_at = updated_at, body = body`);
    expect(await db.select().from(articleMedia).orderBy(articleMedia.articleId, articleMedia.mediaId)).toEqual(before);
  });

  it("lets the database itself refuse to delete an image an article shows", async () => {
    const { stored } = await uploaded();
    await createArticle(editor, { title: "Guarded", body: figureDoc({ src: `/media/${stored.id}-960.webp`, mediaId: stored.id }) });
    const db = await getDb();
    await expect(db.delete(media).where(eq(media.id, stored.id))).rejects.toThrow();
    expect(await mediaRow(stored.id)).toBeDefined();
  });

  it("is found for articles written before the table existed (the migration's backfill)", async () => {
    const { stored, key } = await uploaded();
    const article = await createArticle(editor, { title: "Older story", body: figureDoc({ src: `/media/${key}` }), hero: { mediaId: stored.id, alt: "x" } });
    const db = await getDb();
    await db.delete(articleMedia).where(eq(articleMedia.articleId, article.id));
    const migration = fs.readFileSync(path.join(process.cwd(), "db/migrations/0008_article_media.sql"), "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((statement) => statement.includes('INSERT INTO "article_media"'))!;
    await db.execute(sql.raw(backfill));
    expect(await shownBy(article.id)).toEqual([stored.id]);
  });
});
