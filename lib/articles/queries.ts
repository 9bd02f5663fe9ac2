import "server-only";
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articleAuthors, articles, articleTags, corrections, media, sections, tags, users } from "@/db/schema";
import { imageView, type ImageView } from "@/lib/media/urls";
import { parseRichText, type RichTextDoc } from "@/lib/rich-text/schema";
import { readingMinutes } from "@/lib/rich-text/plain-text";

export type AuthorByline = { name: string; slug: string };
export type ArticleSummary = {
  slug: string;
  title: string;
  dek: string | null;
  publishedAt: Date;
  section: { slug: string; name: string } | null;
  authors: AuthorByline[];
  hero: ImageView | null;
  sourceName: string | null;
  isFeatured: boolean;
};
export type ArticleDetail = ArticleSummary & {
  body: RichTextDoc;
  updatedAt: Date;
  heroCaption: string | null;
  heroCredit: string | null;
  sourceUrl: string | null;
  tags: { slug: string; name: string }[];
  corrections: { note: string; createdAt: Date }[];
  readingMinutes: number;
};

// A published article is one whose status says so and whose time has come: drafts are invisible here.
const isPublic = () => and(eq(articles.status, "published"), lte(articles.publishedAt, new Date()));

const summaryColumns = {
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  dek: articles.dek,
  publishedAt: articles.publishedAt,
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

type SummaryRow = { [K in keyof typeof summaryColumns]: (typeof summaryColumns)[K]["_"]["data"] | null } & { id: string };

function toSummary(row: SummaryRow, authors: AuthorByline[]): ArticleSummary {
  return {
    slug: row.slug!,
    title: row.title!,
    dek: row.dek,
    publishedAt: row.publishedAt!,
    section: row.sectionSlug ? { slug: row.sectionSlug, name: row.sectionName! } : null,
    authors,
    hero:
      row.heroKey && row.heroWidth && row.heroHeight
        ? imageView({ storageKey: row.heroKey, width: row.heroWidth, height: row.heroHeight, variants: row.heroVariants ?? [] }, row.heroAlt ?? "")
        : null,
    sourceName: row.sourceName,
    isFeatured: row.isFeatured ?? false,
  };
}

async function bylines(articleIds: string[]): Promise<Map<string, AuthorByline[]>> {
  const byArticle = new Map<string, AuthorByline[]>();
  if (articleIds.length === 0) return byArticle;
  const db = await getDb();
  const rows = await db
    .select({ articleId: articleAuthors.articleId, name: users.name, slug: users.slug })
    .from(articleAuthors)
    .innerJoin(users, eq(users.id, articleAuthors.userId))
    .where(inArray(articleAuthors.articleId, articleIds))
    .orderBy(asc(articleAuthors.position));
  for (const { articleId, ...author } of rows) byArticle.set(articleId, [...(byArticle.get(articleId) ?? []), author]);
  return byArticle;
}

/** Published articles, newest first. */
export async function listPublishedArticles({ limit = 20, offset = 0 } = {}): Promise<ArticleSummary[]> {
  const db = await getDb();
  const rows = await db
    .select(summaryColumns)
    .from(articles)
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.id, articles.heroMediaId))
    .where(isPublic())
    .orderBy(desc(articles.publishedAt))
    .limit(limit)
    .offset(offset);
  const authors = await bylines(rows.map((row) => row.id));
  return rows.map((row) => toSummary(row, authors.get(row.id) ?? []));
}

/** One published article by its current slug, or null (drafts, scheduled and unknown slugs alike). */
export async function getPublishedArticle(slug: string): Promise<ArticleDetail | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      ...summaryColumns,
      body: articles.body,
      bodyText: articles.bodyText,
      updatedAt: articles.updatedAt,
      heroCaption: articles.heroCaption,
      heroCredit: articles.heroCredit,
      sourceUrl: articles.sourceUrl,
    })
    .from(articles)
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .leftJoin(media, eq(media.id, articles.heroMediaId))
    .where(and(eq(articles.slug, slug), isPublic()))
    .limit(1);
  if (!row) return null;

  const [authors, tagRows, correctionRows] = await Promise.all([
    bylines([row.id]),
    db
      .select({ slug: tags.slug, name: tags.name })
      .from(articleTags)
      .innerJoin(tags, eq(tags.id, articleTags.tagId))
      .where(eq(articleTags.articleId, row.id))
      .orderBy(asc(tags.name)),
    db
      .select({ note: corrections.note, createdAt: corrections.createdAt })
      .from(corrections)
      .where(eq(corrections.articleId, row.id))
      .orderBy(asc(corrections.createdAt)),
  ]);
  const body = parseRichText(row.body);
  return {
    ...toSummary(row, authors.get(row.id) ?? []),
    // stored bodies were validated on write; re-checking on read means a bad row renders empty, never raw
    body: body.ok ? body.doc : { type: "doc", content: [] },
    updatedAt: row.updatedAt,
    heroCaption: row.heroCaption,
    heroCredit: row.heroCredit,
    sourceUrl: row.sourceUrl,
    tags: tagRows,
    corrections: correctionRows,
    readingMinutes: readingMinutes(row.bodyText),
  };
}
