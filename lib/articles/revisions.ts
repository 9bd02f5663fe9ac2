import "server-only";
import { diffWords } from "diff";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { revisions, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { parseRichText } from "@/lib/rich-text/schema";
import { toPlainText } from "@/lib/rich-text/plain-text";
import { authorizeArticleEdit, getArticleForEditing, saveArticle, type SaveResult } from "./editing";
import type { ArticleDraftInput } from "./validation";

// An article's revision history: every save left a snapshot of the editable fields (autosaves by one
// person coalesced). Any two can be compared, and any one restored, as a new save on top.

/** `setAside`: a copy its author gave up in a conflict, kept here but never saved to the article. */
export type RevisionEntry = { id: string; version: number; authorName: string | null; createdAt: Date; autosave: boolean; setAside: boolean };

export async function listRevisions(actor: Actor, articleId: string): Promise<RevisionEntry[]> {
  await getArticleForEditing(actor, articleId);
  const db = await getDb();
  const rows = await db
    .select({ id: revisions.id, version: revisions.version, authorName: users.name, createdAt: revisions.createdAt, snapshot: revisions.snapshot })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.articleId, articleId))
    .orderBy(desc(revisions.createdAt), desc(revisions.version));
  return rows.map(({ snapshot, ...row }) => ({ ...row, autosave: snapshot.autosave === true, setAside: snapshot.setAside === true }));
}

async function snapshotOf(articleId: string, revisionId: string): Promise<Record<string, unknown>> {
  if (!z.uuid().safeParse(revisionId).success) throw new NotFoundError("revision");
  const db = await getDb();
  const [row] = await db.select({ snapshot: revisions.snapshot }).from(revisions).where(and(eq(revisions.id, revisionId), eq(revisions.articleId, articleId)));
  if (!row) throw new NotFoundError("revision");
  return row.snapshot;
}

/** The fields a person reads, as text, from any snapshot shape (older ones carry fewer fields). */
function readable(snapshot: Record<string, unknown>): Record<string, string> {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const body = parseRichText(snapshot.body);
  const hero = snapshot.hero as { alt?: string; caption?: string | null; credit?: string | null } | null | undefined;
  return {
    Title: text(snapshot.title),
    Dek: text(snapshot.dek),
    Slug: text(snapshot.slug),
    Body: body.ok ? toPlainText(body.doc) : "",
    Tags: Array.isArray(snapshot.tags) ? snapshot.tags.join(", ") : "",
    "Hero alt text": text(hero?.alt),
    "Hero caption": text(hero?.caption),
    "Source": [text(snapshot.sourceName), text(snapshot.sourceUrl)].filter(Boolean).join(" · "),
    "SEO title": text(snapshot.seoTitle),
    "SEO description": text(snapshot.seoDescription),
  };
}

export type FieldDiff = { field: string; parts: { value: string; added?: boolean; removed?: boolean }[] };

/** What changed from one revision to another, field by field, word by word; unchanged fields are left out. */
export async function compareRevisions(actor: Actor, articleId: string, fromId: string, toId: string): Promise<FieldDiff[]> {
  await getArticleForEditing(actor, articleId);
  const [from, to] = [readable(await snapshotOf(articleId, fromId)), readable(await snapshotOf(articleId, toId))];
  return Object.keys(from).flatMap((field) =>
    from[field] === to[field] ? [] : [{ field, parts: diffWords(from[field]!, to[field]!).map((part) => ({ value: part.value, added: part.added || undefined, removed: part.removed || undefined })) }],
  );
}

/**
 * Restores a revision's fields as a new save over `version` (so a concurrent change still conflicts);
 * the revision history keeps everything, including what the restore replaced.
 */
export async function restoreRevision(actor: Actor, articleId: string, revisionId: string, version: number): Promise<SaveResult> {
  const current = await authorizeArticleEdit(actor, articleId);
  const snapshot = await snapshotOf(articleId, revisionId);
  const hero = snapshot.hero as { mediaId?: string; alt?: string; caption?: string | null; credit?: string | null } | null | undefined;
  const input: ArticleDraftInput = {
    version,
    title: typeof snapshot.title === "string" ? snapshot.title : current.title,
    slug: typeof snapshot.slug === "string" && !snapshot.slug.startsWith("draft-") ? snapshot.slug : "",
    dek: (snapshot.dek as string | null | undefined) ?? null,
    body: (snapshot.body ?? current.body) as ArticleDraftInput["body"],
    sectionId: typeof snapshot.sectionId === "string" ? snapshot.sectionId : current.sectionId,
    tags: Array.isArray(snapshot.tags) ? (snapshot.tags as string[]) : current.tags,
    authorIds: Array.isArray(snapshot.authorIds) ? (snapshot.authorIds as string[]) : current.authorIds,
    hero: hero?.mediaId ? { mediaId: hero.mediaId, alt: hero.alt ?? "", caption: hero.caption ?? null, credit: hero.credit ?? null } : null,
    sourceName: (snapshot.sourceName as string | null | undefined) ?? null,
    sourceUrl: (snapshot.sourceUrl as string | null | undefined) ?? null,
    seoTitle: (snapshot.seoTitle as string | null | undefined) ?? null,
    seoDescription: (snapshot.seoDescription as string | null | undefined) ?? null,
    canonicalUrl: (snapshot.canonicalUrl as string | null | undefined) ?? null,
    isFeatured: typeof snapshot.isFeatured === "boolean" ? snapshot.isFeatured : current.isFeatured,
  };
  return saveArticle(actor, articleId, input);
}
