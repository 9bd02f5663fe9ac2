import "server-only";
import { and, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { articleAuthors, articles, media, sections, users } from "@/db/schema";
import { imageView, type ImageView } from "@/lib/media/urls";

// Shared pieces of the reader queries: the published-only rule and the card-sized view of an article.

export type AuthorByline = { name: string; slug: string };
/** Dates are ISO strings: cached results pass through JSON. */
export type ArticleSummary = {
  id: string;
  slug: string;
  title: string;
  dek: string | null;
  publishedAt: string;
  updatedAt: string;
  section: { slug: string; name: string } | null;
  authors: AuthorByline[];
  hero: ImageView | null;
  sourceName: string | null;
  isFeatured: boolean;
};

/** A published article is one whose status says so and whose time has come: drafts are invisible. */
export const isPublic = (): SQL => and(eq(articles.status, "published"), lte(articles.publishedAt, new Date()))!;

export const summaryColumns = {
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  dek: articles.dek,
  publishedAt: articles.publishedAt,
  updatedAt: articles.updatedAt,
  sourceName: articles.sourceName,
  isFeatured: articles.isFeatured,
  heroAlt: articles.heroAlt,
  sectionSlug: sections.slug,
  sectionName: sections.name,
  heroKey: media.storageKey,
  heroWidth: media.width,
  heroHeight: media.height,
  heroVariants: media.variants,
};

type SummaryRow = Awaited<ReturnType<ReturnType<typeof selectSummariesWithBylines>["execute"]>>[number];

export function toSummary(row: SummaryRow, authors: AuthorByline[]): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    dek: row.dek,
    publishedAt: (row.publishedAt ?? row.updatedAt).toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    section: row.sectionSlug && row.sectionName ? { slug: row.sectionSlug, name: row.sectionName } : null,
    authors,
    hero:
      row.heroKey && row.heroWidth && row.heroHeight
        ? imageView({ storageKey: row.heroKey, width: row.heroWidth, height: row.heroHeight, variants: row.heroVariants ?? [] }, row.heroAlt ?? "")
        : null,
    sourceName: row.sourceName,
    isFeatured: row.isFeatured,
  };
}

/** The bylines of the article in the current row, as JSON, for a select list. */
export const bylinesJson = sql<AuthorByline[]>`coalesce((select json_agg(json_build_object('name', ${users.name}, 'slug', ${users.slug}) order by ${articleAuthors.position})
  from ${articleAuthors} join ${users} on ${users.id} = ${articleAuthors.userId} where ${articleAuthors.articleId} = ${articles.id}), '[]')`;

/**
 * The card-sized columns of articles, with section, hero and each row's bylines (`authors`) in one
 * query; add where/order/limit, then toSummary(row, row.authors).
 */
export function selectSummariesWithBylines(db: Db) {
  return db
    .select({ ...summaryColumns, authors: bylinesJson })
    .from(articles)
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.id, articles.heroMediaId))
    .$dynamic();
}

/** The summaries of these articles, in this order (missing ones left out), bylines included, in one query. */
export async function summariesFor(ids: string[]): Promise<ArticleSummary[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  const rows = await selectSummariesWithBylines(db).where(inArray(articles.id, ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toSummary(row, row.authors)] : [];
  });
}
