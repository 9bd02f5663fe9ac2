import "server-only";
import { and, asc, count, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { articles, articleStatus } from "@/db/schema";
import { PAGE_SIZE, type Listing } from "@/lib/pagination";
import { isPublic, summariesFor, type ArticleSummary } from "./summaries";

/**
 * How many of the articles linked by a join table's rows (a tag's, an author's) readers can see:
 * the rows, less those whose article is hidden (a draft, in review, scheduled, archived, or dated
 * in the future). Counting the public ones directly reads every public article's id; the hidden
 * ones are few and each group of them is one index range.
 */
export async function countPublicLinked(table: PgTable, articleId: PgColumn, where: SQL): Promise<number> {
  const db = await getDb();
  const now = new Date();
  const hidden = sql`(
    select ${articles.id} as id from ${articles} where ${inArray(articles.status, articleStatus.enumValues.filter((status) => status !== "published"))}
    union all select ${articles.id} from ${articles} where ${and(eq(articles.status, "published"), gt(articles.publishedAt, now))}
    union all select ${articles.id} from ${articles} where ${and(eq(articles.status, "published"), isNull(articles.publishedAt))})`;
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(table)
    .where(and(where, sql`not exists (select 1 from ${hidden} as hidden where hidden.id = ${articleId})`));
  return n;
}

/**
 * One page of published articles matching `where`, newest first. Null when the page is past the
 * end (page 1 of an empty listing is an empty page, not null). `countTotal` counts them faster than
 * counting `where` (see countPublicLinked).
 */
export async function listPublishedPage(where: SQL, page: number, countTotal?: () => Promise<number>): Promise<Listing<ArticleSummary> | null> {
  const db = await getDb();
  const condition = and(isPublic(), where);
  // the count and the page's ids side by side; the ids come from an index alone however deep the
  // page, and only then are those twelve rows read. The id breaks ties in publication time, so
  // pages never repeat or skip an article
  const [total, ids] = await Promise.all([
    countTotal ? countTotal() : db.select({ total: count() }).from(articles).where(condition).then(([row]) => row?.total ?? 0),
    db
      .select({ id: articles.id })
      .from(articles)
      .where(condition)
      .orderBy(desc(articles.publishedAt), asc(articles.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
  ]);
  const totalPages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > totalPages) return null;
  return { items: await summariesFor(ids.map((row) => row.id)), page, totalPages, total };
}
