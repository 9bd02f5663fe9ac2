import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db, type Tx } from "@/db/client";
import { articleAuthors, articles, articleTags, auditLog, corrections, media, redirects, revisions, sections, tags as tagTable, users, type Article } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { toPlainText } from "@/lib/rich-text/plain-text";
import { parseRichText } from "@/lib/rich-text/schema";
import { uniqueSlug } from "@/lib/slug";
import { tagsNamed } from "@/lib/taxonomy";
import { checkArticleImages } from "./images";
import { publishProblems } from "./publish-rules";
import { publicTagsForArticles } from "./touched";
import { articleDraftSchema, type ArticleDraftInput } from "./validation";

// The staff side of an article: loading it for the editor, creating a draft, and saving. Every save
// names the version it edits; a stale one is refused with the current copy (no silent overwrite).
// Each save writes a revision (autosaves by one person within minutes coalesce into one).

const AUTOSAVE_COALESCE_MS = 10 * 60 * 1000;
// an autosave removing more text than this starts a new revision (see recordRevision)
const COALESCE_MAX_REMOVED_CHARS = 100;

export type EditableArticle = {
  id: string;
  version: number;
  status: Article["status"];
  title: string;
  slug: string;
  dek: string | null;
  body: unknown;
  sectionId: string | null;
  tags: string[];
  authorIds: string[];
  hero: { mediaId: string; src: string; alt: string; caption: string | null; credit: string | null } | null;
  sourceName: string | null;
  sourceUrl: string | null;
  seoTitle: string | null;
  seoDescription: string | null;
  canonicalUrl: string | null;
  isFeatured: boolean;
  publishedAt: string | null;
  scheduledAt: string | null;
  updatedAt: string;
  createdBy: string | null;
  corrections: { id: string; note: string; createdAt: string }[];
};

/** Staff who may edit this article: editors and admins any; writers their own drafts (author or creator). */
export function mayEdit(actor: Actor, article: { status: Article["status"]; createdBy: string | null; authorIds: string[] }): boolean {
  if (can(actor, "article:edit-any")) return true;
  return article.status === "draft" && isOwn(actor, article);
}

export function isOwn(actor: Actor, article: { createdBy: string | null; authorIds: string[] }): boolean {
  return actor.id !== null && (article.createdBy === actor.id || article.authorIds.includes(actor.id));
}

export async function loadEditable(db: Db | Tx, id: string): Promise<EditableArticle | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await db.select({ article: articles, heroKey: media.storageKey }).from(articles).leftJoin(media, eq(media.id, articles.heroMediaId)).where(eq(articles.id, id));
  if (!row) return null;
  const a = row.article;
  // one after another: inside a transaction these share one connection, where node-postgres
  // deprecates overlapping queries (an error from pg 9)
  const authorRows = await db.select({ id: articleAuthors.userId }).from(articleAuthors).where(eq(articleAuthors.articleId, id)).orderBy(asc(articleAuthors.position));
  const tagRows = await db.select({ name: tagTable.name }).from(articleTags).innerJoin(tagTable, eq(tagTable.id, articleTags.tagId)).where(eq(articleTags.articleId, id)).orderBy(asc(tagTable.name));
  const correctionRows = await db.select({ id: corrections.id, note: corrections.note, createdAt: corrections.createdAt }).from(corrections).where(eq(corrections.articleId, id)).orderBy(asc(corrections.createdAt));
  return {
    id: a.id,
    version: a.version,
    status: a.status,
    title: a.title,
    slug: a.slug,
    dek: a.dek,
    body: a.body,
    sectionId: a.sectionId,
    tags: tagRows.map((t) => t.name),
    authorIds: authorRows.map((r) => r.id),
    hero: a.heroMediaId && row.heroKey ? { mediaId: a.heroMediaId, src: `/media/${row.heroKey}`, alt: a.heroAlt ?? "", caption: a.heroCaption, credit: a.heroCredit } : null,
    sourceName: a.sourceName,
    sourceUrl: a.sourceUrl,
    seoTitle: a.seoTitle,
    seoDescription: a.seoDescription,
    canonicalUrl: a.canonicalUrl,
    isFeatured: a.isFeatured,
    publishedAt: a.publishedAt?.toISOString() ?? null,
    scheduledAt: a.scheduledAt?.toISOString() ?? null,
    updatedAt: a.updatedAt.toISOString(),
    createdBy: a.createdBy,
    corrections: correctionRows.map((c) => ({ id: c.id, note: c.note, createdAt: c.createdAt.toISOString() })),
  };
}

/** The article as the editor shows it, for staff who may see it (writers: their own). */
export async function getArticleForEditing(actor: Actor, id: string): Promise<{ article: EditableArticle; editable: boolean }> {
  if (!can(actor, "article:create")) throw new ForbiddenError("edit articles");
  const article = await loadEditable(await getDb(), id);
  // those who cannot open every article learn nothing about ids that are not theirs
  if (!article && !can(actor, "article:edit-any")) throw new ForbiddenError("open this article");
  if (!article) throw new NotFoundError("article");
  if (!can(actor, "article:edit-any") && !isOwn(actor, article)) throw new ForbiddenError("open this article");
  return { article, editable: mayEdit(actor, article) };
}

/**
 * Whether the actor may edit this article, before any of the request is read: 403 for those who may
 * not (and, for those who cannot edit every article, for an unknown id too: it reveals nothing), 404
 * for an editor's unknown id.
 */
export async function authorizeArticleEdit(actor: Actor, id: string): Promise<EditableArticle> {
  if (!can(actor, "article:create")) throw new ForbiddenError("edit articles");
  const article = await loadEditable(await getDb(), id);
  if (!article) {
    if (can(actor, "article:edit-any")) throw new NotFoundError("article");
    throw new ForbiddenError("edit this article");
  }
  if (!mayEdit(actor, article)) throw new ForbiddenError(article.status === "draft" ? "edit this article" : "edit an article once it has left the drafts");
  return article;
}

/** Starts an empty draft with the actor as its author. */
export async function createDraft(actor: Actor): Promise<{ id: string }> {
  if (!can(actor, "article:create") || actor.kind !== "staff") throw new ForbiddenError("create articles");
  const db = await getDb();
  return db.transaction(async (tx) => {
    // random, not the clock: two drafts started in the same millisecond would both find the
    // clock's slug free and one insert would fail on the unique index
    const slug = await uniqueSlug(`draft-${randomBytes(5).toString("hex")}`, async (candidate) => Boolean((await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, candidate)))[0]));
    const body = { type: "doc", content: [{ type: "paragraph" }] };
    const [row] = await tx.insert(articles).values({ slug, title: "", body, bodyText: "", status: "draft", createdBy: actor.id }).returning({ id: articles.id });
    await tx.insert(articleAuthors).values({ articleId: row!.id, userId: actor.id, position: 0 });
    await tx.insert(revisions).values({ articleId: row!.id, version: 1, snapshot: { title: "", slug, body }, authorId: actor.id });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "article.create", entityType: "article", entityId: row!.id, details: { via: "editor" } });
    return { id: row!.id };
  });
}

/** A save refused because someone else saved first: carries their copy for the conflict view. */
export class StaleVersionError extends ConflictError {
  constructor(readonly current: EditableArticle) {
    super(`Someone else saved this article (version ${current.version}) after the version you edited. Compare the two and choose what to keep.`);
  }
}

export type SaveResult = { version: number; slug: string; updatedAt: string };

/** The editor's fields, validated; a 400 naming the first field at fault. */
function parseDraft(input: ArticleDraftInput) {
  const parsed = articleDraftSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? "article");
  throw new ValidationError(`${field}: ${issue.message}`, { [field]: [issue.message] });
}

/**
 * Saves the editor's fields over `version`. Refused: 403 for those who may not edit it, 400 with the
 * field's message for invalid input, 409 (StaleVersionError) when the article moved on. One
 * transaction: a refused or failed save leaves the previous version intact.
 */
export async function saveArticle(actor: Actor, id: string, input: ArticleDraftInput, { autosave = false } = {}): Promise<SaveResult> {
  if (!can(actor, "article:create")) throw new ForbiddenError("edit articles");
  const data = parseDraft(input);
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    // one save at a time per article: the version check below then sees the latest
    if (z.uuid().safeParse(id).success) await tx.execute(sql`select 1 from articles where id = ${id} for update`);
    const current = await loadEditable(tx, id);
    if (!current) throw new NotFoundError("article");
    if (!mayEdit(actor, current)) throw new ForbiddenError(current.status === "draft" ? "edit this article" : "edit an article once it has left the drafts");
    if (current.version !== data.version) throw new StaleVersionError(current);
    const touchedBefore = isLive(current.status) ? await publicTagsForArticles(tx, [id]) : [];

    const slug = data.slug && data.slug !== current.slug ? await claimSlug(tx, id, data.slug, current) : current.slug;
    const authorIds = data.authorIds.length > 0 ? await checkAuthors(tx, data.authorIds) : current.authorIds;
    if (data.sectionId) {
      const [section] = await tx.select({ id: sections.id }).from(sections).where(eq(sections.id, data.sectionId));
      if (!section) throw new ValidationError("section: that section no longer exists", { sectionId: ["that section no longer exists"] });
    }
    await checkArticleImages(tx, { body: data.body, heroMediaId: data.hero?.mediaId ?? null });
    if (isLive(current.status)) {
      const problems = publishProblems({ title: data.title, slug, body: data.body, heroMediaId: data.hero?.mediaId ?? null, heroAlt: data.hero?.alt ?? null });
      if (problems.length > 0) throw new ValidationError(`It is ${current.status}, so it must stay complete. ${problems.join(" ")}`, { publish: problems });
    }
    const version = current.version + 1;
    const now = new Date();
    await tx
      .update(articles)
      .set({
        title: data.title,
        slug,
        dek: data.dek,
        body: data.body,
        bodyText: toPlainText(data.body),
        sectionId: data.sectionId,
        heroMediaId: data.hero?.mediaId ?? null,
        heroAlt: data.hero?.alt || null,
        heroCaption: data.hero?.caption ?? null,
        heroCredit: data.hero?.credit ?? null,
        sourceName: data.sourceName ?? (data.sourceUrl ? new URL(data.sourceUrl).hostname.replace(/^www\./, "") : null),
        sourceUrl: data.sourceUrl,
        seoTitle: data.seoTitle,
        seoDescription: data.seoDescription,
        canonicalUrl: data.canonicalUrl,
        // featuring is an editorial decision
        isFeatured: can(actor, "article:publish") ? data.isFeatured : current.isFeatured,
        updatedAt: now,
        version,
      })
      .where(eq(articles.id, id));
    await replaceAuthors(tx, id, authorIds);
    await replaceTags(tx, id, data.tags);
    const { version: _edited, ...fields } = data;
    await recordRevision(tx, actor, id, version, { ...fields, slug, authorIds }, autosave, now);
    if (!autosave) await tx.insert(auditLog).values({ actorId: actor.id, action: "article.save", entityType: "article", entityId: id, details: { version, title: data.title } });
    const touched = isLive(current.status) ? [...new Set([...touchedBefore, ...(await publicTagsForArticles(tx, [id]))])] : [];
    await noticeInTransaction(tx, touched);
    return { saved: { version, slug, updatedAt: now.toISOString() }, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return result.saved;
}

/** Published or scheduled: a change shows (or will show) to readers. */
export function isLive(status: Article["status"]): boolean {
  return status === "published" || status === "scheduled";
}

async function claimSlug(tx: Tx, id: string, slug: string, current: EditableArticle): Promise<string> {
  const [taken] = await tx.select({ id: articles.id }).from(articles).where(and(eq(articles.slug, slug), ne(articles.id, id)));
  const [redirected] = await tx.select({ articleId: redirects.articleId }).from(redirects).where(eq(redirects.fromPath, `/article/${slug}`));
  if (taken || (redirected && redirected.articleId !== id)) throw new ValidationError("slug: another article already uses this address", { slug: ["another article already uses this address"] });
  // the new address is no longer a redirect to this article; once published, the old one becomes one
  if (redirected) await tx.delete(redirects).where(eq(redirects.fromPath, `/article/${slug}`));
  if (current.publishedAt) await tx.insert(redirects).values({ fromPath: `/article/${current.slug}`, articleId: id }).onConflictDoNothing();
  return slug;
}

async function checkAuthors(tx: Tx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, unique));
  if (found.length !== unique.length) throw new ValidationError("authors: one of the authors is not on the staff list", { authorIds: ["one of the authors is not on the staff list"] });
  return unique;
}

async function replaceAuthors(tx: Tx, id: string, authorIds: string[]) {
  await tx.delete(articleAuthors).where(eq(articleAuthors.articleId, id));
  if (authorIds.length > 0) await tx.insert(articleAuthors).values(authorIds.map((userId, position) => ({ articleId: id, userId, position })));
}

async function replaceTags(tx: Tx, id: string, names: string[]) {
  await tx.delete(articleTags).where(eq(articleTags.articleId, id));
  const named = await tagsNamed(tx, names);
  if (named.length > 0) await tx.insert(articleTags).values(named.map((tag) => ({ articleId: id, tagId: tag.id })));
}

/**
 * Keeps, as a revision, a copy the editor is giving up: their unsaved text when they resolve a
 * conflict for the other side. The article itself is not changed, so the version the copy names (a
 * stale one) is not checked; the copy is validated like a save and can be restored like any revision.
 */
export async function setAsideCopy(actor: Actor, id: string, input: ArticleDraftInput): Promise<{ revisionId: string }> {
  if (!can(actor, "article:create")) throw new ForbiddenError("edit articles");
  const { version: _stale, ...fields } = parseDraft(input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await loadEditable(tx, id);
    if (!current) throw new NotFoundError("article");
    if (!mayEdit(actor, current)) throw new ForbiddenError(current.status === "draft" ? "edit this article" : "edit an article once it has left the drafts");
    const [row] = await tx
      .insert(revisions)
      .values({ articleId: id, version: current.version, snapshot: { ...fields, autosave: false, setAside: true }, authorId: actor.id })
      .returning({ id: revisions.id });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "article.set_aside", entityType: "article", entityId: id, details: { version: current.version, revision: row!.id } });
    return { revisionId: row!.id };
  });
}

/** Title, dek and body text: how much a person has written in a snapshot. */
function writtenLength(snapshot: Record<string, unknown>): number {
  const text = (value: unknown) => (typeof value === "string" ? value.length : 0);
  const body = parseRichText(snapshot.body);
  return text(snapshot.title) + text(snapshot.dek) + (body.ok ? toPlainText(body.doc).length : 0);
}

/**
 * A revision per save; autosaves by the same person within minutes of their last one update it,
 * unless this one removes more than a few lines: a select-all-and-type or a deleted paragraph must
 * not overwrite the only snapshot holding the text.
 */
export async function recordRevision(tx: Tx, actor: Actor, articleId: string, version: number, snapshot: Record<string, unknown>, autosave: boolean, now: Date) {
  if (autosave) {
    const [last] = await tx.select({ id: revisions.id, authorId: revisions.authorId, createdAt: revisions.createdAt, snapshot: revisions.snapshot }).from(revisions).where(eq(revisions.articleId, articleId)).orderBy(desc(revisions.createdAt)).limit(1);
    const coalesce =
      last &&
      last.authorId === actor.id &&
      last.snapshot.autosave === true &&
      now.getTime() - last.createdAt.getTime() < AUTOSAVE_COALESCE_MS &&
      writtenLength(snapshot) >= writtenLength(last.snapshot) - COALESCE_MAX_REMOVED_CHARS;
    if (coalesce) {
      await tx.update(revisions).set({ version, snapshot: { ...snapshot, autosave: true } }).where(eq(revisions.id, last.id));
      return;
    }
  }
  await tx.insert(revisions).values({ articleId, version, snapshot: { ...snapshot, autosave }, authorId: actor.id, createdAt: now });
}
