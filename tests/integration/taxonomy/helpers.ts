import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articleTags, auditLog, sections, tags, taxonomyRedirects } from "@/db/schema";
import { operator } from "@/lib/auth/permissions";
import { createArticle } from "@/lib/articles/mutations";
import { docOf } from "../../fixtures/builders";

// Shared by the taxonomy tests: articles to file under sections and tags, and readers for what a
// change left behind (rows, redirects, audit entries, expired cache tags).

let sequence = 0;

/** A published article (by the operator) in `section` (a slug) with `tagNames`. */
export async function publishedArticle(section: string | null, tagNames: string[] = [], status: "draft" | "published" = "published") {
  return createArticle(operator, { title: `Taxonomy story ${++sequence}`, body: docOf("Text."), section, tags: tagNames, status });
}

export async function sectionRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(sections).where(eq(sections.id, id));
  return row;
}

export async function tagRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(tags).where(eq(tags.id, id));
  return row;
}

/** Section slugs in navigation order. */
export async function sectionOrder(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ slug: sections.slug }).from(sections).orderBy(asc(sections.position), asc(sections.name));
  return rows.map((row) => row.slug);
}

export async function tagIdsOf(articleId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ id: articleTags.tagId }).from(articleTags).where(eq(articleTags.articleId, articleId));
  return rows.map((row) => row.id).sort();
}

export async function redirectRows(kind: "section" | "tag") {
  const db = await getDb();
  return db.select().from(taxonomyRedirects).where(eq(taxonomyRedirects.kind, kind));
}

export async function auditEntries(action: string, entityId: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));
}

/** The cache tags `work` expired in this process (lib/cache/page-cache-state.cjs expireLocalTags). */
export async function expiredBy(work: () => Promise<unknown>): Promise<string[]> {
  const expiry = () => (globalThis as { __magazinePageCache?: { tagExpiry: Map<string, number> } }).__magazinePageCache?.tagExpiry;
  expiry()?.clear();
  await work();
  return [...(expiry()?.keys() ?? [])].sort();
}
