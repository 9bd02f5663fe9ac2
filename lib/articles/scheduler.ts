import "server-only";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, auditLog } from "@/db/schema";
import { invalidateTags } from "@/lib/cache/invalidate";
import { logError, logInfo } from "@/lib/log";
import { publicTagsForArticles } from "./touched";

/**
 * Publishes scheduled articles whose time has come. One UPDATE claims each row, so with several
 * instances every article is published exactly once. Returns the ids it published.
 */
export async function publishDueArticles(now = new Date()): Promise<string[]> {
  const db = await getDb();
  const published = await db.transaction(async (tx) => {
    const rows = await tx
      .update(articles)
      // a new version: an editor's open copy of the scheduled article must not act on the old one
      .set({ status: "published", publishedAt: sql`coalesce(${articles.scheduledAt}, now())`, updatedAt: now, scheduledAt: null, version: sql`${articles.version} + 1` })
      .where(and(eq(articles.status, "scheduled"), lte(articles.scheduledAt, now)))
      .returning({ id: articles.id, slug: articles.slug });
    if (rows.length > 0) {
      await tx.insert(auditLog).values(rows.map((r) => ({ action: "article.publish_scheduled", entityType: "article", entityId: r.id, details: { slug: r.slug } })));
    }
    return rows.map((r) => r.id);
  });
  return published;
}

/** Articles already published with a future date that became visible in (since, now]. */
async function articlesComingDue(since: Date, now: Date): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.status, "published"), gt(articles.publishedAt, since), lte(articles.publishedAt, now)));
  return rows.map((r) => r.id);
}

/** One pass of the scheduler: publish what is due and expire the pages that must now show it. */
export async function runSchedulerTick(since: Date, now = new Date()): Promise<string[]> {
  // an article published by this tick is also "coming due" in its window: count it once
  const ids = [...new Set([...(await publishDueArticles(now)), ...(await articlesComingDue(since, now))])];
  if (ids.length > 0) {
    await invalidateTags(await publicTagsForArticles(await getDb(), ids));
    logInfo("scheduled articles are now public", { count: ids.length });
  }
  return ids;
}

/** Runs the scheduler every `intervalMs` in this process; returns a stop function. */
export function startScheduler(intervalMs = 10_000): () => void {
  let since = new Date();
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    const now = new Date();
    try {
      await runSchedulerTick(since, now);
      since = now;
    } catch (error) {
      logError("scheduler tick failed; will retry", error);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
