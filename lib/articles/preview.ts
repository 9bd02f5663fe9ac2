import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, auditLog } from "@/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { getStaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { getArticleForEditing } from "./editing";
import { loadArticleDetail, type ArticleDetail } from "./queries";

// Previews of unpublished articles. Staff preview through Next.js draft mode on the real article page
// (app/api/staff/articles/[id]/preview); an outside reviewer gets a link that shows that one article
// only, until it expires: a signed token (article id and expiry, HMAC with the auth secret), so no
// table is needed and a link cannot be altered to show another article.

export const PREVIEW_LINK_HOURS = 72;

function sign(payload: string): string {
  return createHmac("sha256", resolveAuthSecret().secret).update(`preview:${payload}`).digest("base64url");
}

export function previewToken(articleId: string, expiresAt: Date): string {
  const payload = Buffer.from(`${articleId}.${Math.floor(expiresAt.getTime() / 1000)}`).toString("base64url");
  return `${payload}.${sign(payload)}`;
}

/** The article id a token grants, or null when it is malformed, altered or expired. */
export function readPreviewToken(token: string, now = new Date()): string | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !/^[A-Za-z0-9_-]{1,200}$/.test(payload)) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [id, expires] = Buffer.from(payload, "base64url").toString("utf8").split(".");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || !expires || Number(expires) * 1000 < now.getTime()) return null;
  return id;
}

/** A shareable link to one article's preview, for staff who may open the article. */
export async function createPreviewLink(actor: Actor, articleId: string, now = new Date()): Promise<{ path: string; expiresAt: Date }> {
  await getArticleForEditing(actor, articleId);
  const expiresAt = new Date(now.getTime() + PREVIEW_LINK_HOURS * 3600_000);
  const db = await getDb();
  await db.insert(auditLog).values({ actorId: actor.id, action: "article.preview_link", entityType: "article", entityId: articleId, details: { expiresAt: expiresAt.toISOString() } });
  return { path: `/preview/${previewToken(articleId, expiresAt)}`, expiresAt };
}

/** The article a preview shows, in any status. */
export async function getArticleForPreview(articleId: string): Promise<ArticleDetail | null> {
  return loadArticleDetail(eq(articles.id, articleId));
}

/** For the article page in draft mode: the article at this slug in any status, if the signed-in staff member may open it. */
export async function getStaffPreview(slug: string): Promise<{ article: ArticleDetail; status: string } | null> {
  const staff = await getStaffSession();
  if (!staff) return null;
  const db = await getDb();
  const [row] = await db.select({ id: articles.id, status: articles.status }).from(articles).where(eq(articles.slug, slug));
  if (!row) return null;
  try {
    await getArticleForEditing(staff.actor, row.id);
  } catch (error) {
    if (error instanceof DomainError) return null; // not theirs to see
    throw error;
  }
  const article = await getArticleForPreview(row.id);
  return article ? { article, status: row.status } : null;
}
