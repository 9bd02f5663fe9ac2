import "server-only";
import { and, count, desc, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles } from "@/db/schema";
import { PAGE_SIZE, type Listing } from "@/lib/pagination";
import { isPublic, selectSummaries, withBylines, type ArticleSummary } from "./summaries";

/**
 * One page of published articles matching `where`, newest first. Null when the page is past the
 * end (page 1 of an empty listing is an empty page, not null).
 */
export async function listPublishedPage(where: SQL, page: number): Promise<Listing<ArticleSummary> | null> {
  const db = await getDb();
  const condition = and(isPublic(), where);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(articles).where(condition);
  const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > totalPages) return null;
  const rows = await selectSummaries(db)
    .where(condition)
    .orderBy(desc(articles.publishedAt))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  return { items: await withBylines(rows), page, totalPages, total };
}
