import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles, auditLog, sections } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { getPublishedArticle } from "@/lib/articles/queries";
import { publishDueArticles, runSchedulerTick } from "@/lib/articles/scheduler";
import { docOf, makeStaff } from "../../fixtures/builders";

const MINUTE = 60_000;

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let editor: Staff;
let writer: Staff;

/** Creates a draft through the normal path, then schedules it directly in the database. */
async function scheduled(title: string, scheduledAt: Date, extra: { section?: string; tags?: string[] } = {}) {
  const created = await createArticle(editor, { title, body: docOf(`Body of ${title}.`), authors: [writer.slug], ...extra });
  const db = await getDb();
  await db.update(articles).set({ status: "scheduled", scheduledAt }).where(eq(articles.id, created.id));
  return created;
}
async function row(id: string) {
  const db = await getDb();
  const [found] = await db.select({ status: articles.status, publishedAt: articles.publishedAt, scheduledAt: articles.scheduledAt }).from(articles).where(eq(articles.id, id));
  return found!;
}
async function auditRows(id: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, "article.publish_scheduled")));
}
function tagExpiry(): Map<string, number> {
  const cache = (globalThis as { __magazinePageCache?: { tagExpiry: Map<string, number> } }).__magazinePageCache;
  return cache?.tagExpiry ?? new Map();
}

beforeAll(async () => {
  const db = await getDb();
  await db.insert(sections).values({ slug: "science", name: "Science" });
  editor = await makeStaff("editor", "Eddie Editor");
  writer = await makeStaff("writer", "Wanda Writer");
});

describe("publishDueArticles", () => {
  it("publishes a due article exactly once when two runs race, at its scheduled time, with one audit entry", async () => {
    const due = new Date(Date.now() - 5 * MINUTE);
    const article = await scheduled("Due while two schedulers race", due);
    expect(await getPublishedArticle(article.slug)).toBeNull();

    const [first, second] = await Promise.all([publishDueArticles(), publishDueArticles()]);
    const union = [...first, ...second];
    expect(union.filter((id) => id === article.id)).toHaveLength(1);

    expect(await row(article.id)).toMatchObject({ status: "published", scheduledAt: null });
    expect((await row(article.id)).publishedAt?.getTime()).toBe(due.getTime());
    expect(await getPublishedArticle(article.slug)).toMatchObject({ slug: article.slug, publishedAt: due.toISOString() });
    const audits = await auditRows(article.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ slug: article.slug });

    // a later run finds nothing more to do for it
    expect(await publishDueArticles()).not.toContain(article.id);
    expect(await auditRows(article.id)).toHaveLength(1);
  });

  it("leaves a future scheduled article scheduled and hidden", async () => {
    const later = new Date(Date.now() + 60 * MINUTE);
    const article = await scheduled("Scheduled for later", later);
    expect(await publishDueArticles()).not.toContain(article.id);
    const stored = await row(article.id);
    expect(stored).toMatchObject({ status: "scheduled", publishedAt: null });
    expect(stored.scheduledAt?.getTime()).toBe(later.getTime());
    expect(await getPublishedArticle(article.slug)).toBeNull();
    expect(await auditRows(article.id)).toHaveLength(0);
  });

  it("ignores drafts even when they carry a past scheduledAt", async () => {
    const draft = await createArticle(editor, { title: "Draft with an old date", body: docOf("x") });
    const db = await getDb();
    await db.update(articles).set({ scheduledAt: new Date(Date.now() - MINUTE) }).where(eq(articles.id, draft.id));
    expect(await publishDueArticles()).not.toContain(draft.id);
    expect((await row(draft.id)).status).toBe("draft");
  });
});

describe("runSchedulerTick", () => {
  it("publishes what is due and expires its article, front-page and feed tags (and section, tag, author, sitemap, search)", async () => {
    const article = await scheduled("Due for the tick", new Date(Date.now() - MINUTE), { section: "science", tags: ["Comets"] });
    const before = Date.now();
    const ids = await runSchedulerTick(new Date(before - 10 * MINUTE));
    expect(ids).toContain(article.id);
    const expiry = tagExpiry();
    for (const tag of [`article:${article.slug}`, "front-page", "feed", "section:science", "tag:comets", `author:${writer.slug}`, "sitemap", "search"]) {
      expect(expiry.get(tag), tag).toBeGreaterThanOrEqual(before);
    }
    expect(await auditRows(article.id)).toHaveLength(1);
    expect(await getPublishedArticle(article.slug)).not.toBeNull();
  });

  it("also expires the pages of an already-published, future-dated article once its time has come", async () => {
    const created = await createArticle(editor, { title: "Embargo lifts", body: docOf("x"), status: "published", publishedAt: new Date(Date.now() + 2_000) });
    expect(await getPublishedArticle(created.slug)).toBeNull();
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const before = Date.now();
    const ids = await runSchedulerTick(since);
    expect(ids).toContain(created.id);
    expect(tagExpiry().get(`article:${created.slug}`)).toBeGreaterThanOrEqual(before);
    expect(await getPublishedArticle(created.slug)).not.toBeNull();
  });

  it("expires nothing when nothing is due", async () => {
    const expiry = tagExpiry();
    const snapshot = new Map(expiry);
    expect(await runSchedulerTick(new Date())).toEqual([]);
    expect(new Map(tagExpiry())).toEqual(snapshot);
  });
});
