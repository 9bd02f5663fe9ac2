import { randomUUID } from "node:crypto";
import { and, asc, count, eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "@/db/client";
import { articles, auditLog, media, redirects, revisions, sections } from "@/db/schema";
import { loadEditable } from "@/lib/articles/editing";
import type { ArticleDraftInput } from "@/lib/articles/validation";
import type { RichTextDoc } from "@/lib/rich-text/schema";
import { docOf, failure, makeStaff } from "../../fixtures/builders";

// Shared by the editor integration tests: small builders for sections and library images, the
// editor's save payload made from what loadEditable returns, and readers for what a save or a
// workflow step left behind (the row, revisions, audit entries, redirects).

export type Staff = Awaited<ReturnType<typeof makeStaff>>;

let sequence = 0;

export async function makeSection(name = `Section ${++sequence}`, position = 0) {
  const db = await getDb();
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${++sequence}`;
  const [row] = await db.insert(sections).values({ slug, name, position }).returning({ id: sections.id, slug: sections.slug, name: sections.name });
  return row!;
}

/** A media-library row (no file is needed: the editor only checks the row exists). */
export async function makeImage(uploadedBy: string | null = null) {
  const db = await getDb();
  const id = randomUUID();
  await db.insert(media).values({ id, storageKey: `${id}.png`, filename: "photo.png", mimeType: "image/png", width: 1200, height: 800, bytes: 1234, uploadedBy });
  return { id, src: `/media/${id}.png` };
}

/** The editor's save payload for the article as it stands, with `changes` applied. */
export async function payloadFor(id: string, changes: Partial<ArticleDraftInput> = {}): Promise<ArticleDraftInput> {
  const current = (await loadEditable(await getDb(), id))!;
  return {
    version: current.version,
    title: current.title,
    slug: current.slug,
    dek: current.dek,
    body: current.body as RichTextDoc,
    sectionId: current.sectionId,
    tags: current.tags,
    authorIds: current.authorIds,
    hero: current.hero ? { mediaId: current.hero.mediaId, alt: current.hero.alt, caption: current.hero.caption, credit: current.hero.credit } : null,
    sourceName: current.sourceName,
    sourceUrl: current.sourceUrl,
    seoTitle: current.seoTitle,
    seoDescription: current.seoDescription,
    canonicalUrl: current.canonicalUrl,
    isFeatured: current.isFeatured,
    ...changes,
  };
}

export async function articleRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(articles).where(eq(articles.id, id));
  return row!;
}

export async function revisionsOf(id: string) {
  const db = await getDb();
  return db.select().from(revisions).where(eq(revisions.articleId, id)).orderBy(asc(revisions.createdAt), asc(revisions.version));
}

export async function auditOf(id: string, action?: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, id), action ? eq(auditLog.action, action) : undefined))
    .orderBy(asc(auditLog.id));
}

export async function redirectsTo(id: string) {
  const db = await getDb();
  return db.select({ fromPath: redirects.fromPath }).from(redirects).where(eq(redirects.articleId, id)).orderBy(asc(redirects.fromPath));
}

/** Everything a refused save or step must leave as it was: the row and the counts of its side tables. */
export async function snapshot(id: string) {
  const db = await getDb();
  const row = await articleRow(id);
  const [revisionCount] = await db.select({ n: count() }).from(revisions).where(eq(revisions.articleId, id));
  const [auditCount] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.entityId, id));
  const editable = await loadEditable(db, id);
  return { row, revisions: revisionCount!.n, audits: auditCount!.n, tags: editable!.tags, authorIds: editable!.authorIds };
}

/** Asserts the promise fails with the given DomainError class and HTTP status; returns the error. */
export async function expectDomainError<E extends Error>(promise: Promise<unknown>, kind: new (...args: never[]) => E, status: number): Promise<E & { status: number }> {
  const error = await failure(promise);
  expect(error, `${error.name}: ${error.message}`).toBeInstanceOf(kind);
  expect(error.status).toBe(status);
  return error as E & { status: number };
}

/** A body that passes publishProblems, with a word that finds it in search. */
export function bodyWith(...paragraphs: string[]): RichTextDoc {
  return docOf(...paragraphs);
}
