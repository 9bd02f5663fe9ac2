import "server-only";
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { articles, sections, users, type Article } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { containsPattern, withoutControlCharacters } from "@/lib/text";

// The newsroom's article lists: the dashboard's queues and the filtered, sorted, paginated list.
// Editors and admins see every article; writers see the ones they wrote or started.

export const STAFF_PAGE_SIZE = 25;
export const ARTICLE_STATUSES = ["draft", "review", "scheduled", "published", "archived"] as const;
export const SORTS = { updated: "Last changed", published: "Publication date", title: "Headline" } as const;

export const articleFilterSchema = z.object({
  status: z.enum(ARTICLE_STATUSES, { error: "status must be one of draft, review, scheduled, published, archived" }).optional(),
  section: z.uuid({ error: "choose a section from the list" }).optional(),
  author: z.uuid({ error: "choose an author from the list" }).optional(),
  q: z.string().max(200, { error: "search for at most 200 characters" }).optional(),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS], { error: "sort must be updated, published or title" }).default("updated"),
  page: z.coerce.number({ error: "page must be a whole number" }).int().min(1).max(10_000, { error: "page must be between 1 and 10000" }).default(1),
});

export type ArticleFilters = z.output<typeof articleFilterSchema>;

/** Filters from a URL's query; a bad value is a 400 naming it (never a database error). */
export function parseArticleFilters(params: Record<string, string | string[] | undefined>): ArticleFilters {
  // ?status=draft&status=published is refused, not read as "any status"
  const repeated = Object.keys(articleFilterSchema.shape).find((key) => Array.isArray(params[key]));
  if (repeated) throw new ValidationError(`${repeated} is given more than once; choose one`);
  const single = Object.fromEntries(Object.entries(params).flatMap(([key, value]) => (typeof value === "string" && value !== "" ? [[key, value]] : [])));
  const parsed = articleFilterSchema.safeParse(single);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]!.message);
  return parsed.data;
}

export type StaffArticleRow = { id: string; title: string; slug: string; status: Article["status"]; section: string | null; authors: string; updatedAt: Date; publishedAt: Date | null; scheduledAt: Date | null };

/** Articles this person started or is an author of. */
function writtenBy(userId: string): SQL {
  return or(eq(articles.createdBy, userId), sql`exists (select 1 from article_authors aa where aa.article_id = ${articles.id} and aa.user_id = ${userId})`)!;
}

function visibleTo(actor: Actor): SQL | undefined {
  if (can(actor, "article:edit-any")) return undefined;
  return actor.id ? writtenBy(actor.id) : sql`false`;
}

const authorNames = sql<string>`coalesce((select string_agg(u.name, ', ' order by aa.position) from article_authors aa join users u on u.id = aa.user_id where aa.article_id = ${articles.id}), '')`;

async function select(where: SQL | undefined, order: SQL[], limit: number, offset = 0): Promise<StaffArticleRow[]> {
  const db = await getDb();
  return db
    .select({ id: articles.id, title: articles.title, slug: articles.slug, status: articles.status, section: sections.name, authors: authorNames, updatedAt: articles.updatedAt, publishedAt: articles.publishedAt, scheduledAt: articles.scheduledAt })
    .from(articles)
    .leftJoin(sections, eq(sections.id, articles.sectionId))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
}

/** The filtered list, 25 a page. */
export async function listStaffArticles(actor: Actor, filters: ArticleFilters): Promise<{ rows: StaffArticleRow[]; total: number; totalPages: number }> {
  if (!can(actor, "article:create")) throw new ForbiddenError("list articles");
  const text = withoutControlCharacters(filters.q ?? "").trim();
  const where = and(
    visibleTo(actor),
    filters.status ? eq(articles.status, filters.status) : undefined,
    filters.section ? eq(articles.sectionId, filters.section) : undefined,
    filters.author ? sql`exists (select 1 from article_authors aa where aa.article_id = ${articles.id} and aa.user_id = ${filters.author})` : undefined,
    text ? ilike(articles.title, containsPattern(text)) : undefined,
  );
  const order = {
    updated: [desc(articles.updatedAt), desc(articles.id)],
    published: [sql`${articles.publishedAt} desc nulls last`, desc(articles.id)],
    title: [asc(articles.title), asc(articles.id)],
  }[filters.sort];
  const db = await getDb();
  const [total] = await db.select({ n: count() }).from(articles).where(where);
  const n = total?.n ?? 0;
  return { rows: await select(where, order, STAFF_PAGE_SIZE, (filters.page - 1) * STAFF_PAGE_SIZE), total: n, totalPages: Math.max(1, Math.ceil(n / STAFF_PAGE_SIZE)) };
}

/** The dashboard's queues: my drafts, in review, scheduled, recently published (8 each). */
export async function dashboardQueues(actor: Actor) {
  if (!can(actor, "article:create")) throw new ForbiddenError("list articles");
  const mine = actor.id ? writtenBy(actor.id) : sql`false`;
  const visible = visibleTo(actor);
  const [drafts, review, scheduled, published] = await Promise.all([
    select(and(mine, eq(articles.status, "draft")), [desc(articles.updatedAt)], 8),
    select(and(visible, eq(articles.status, "review")), [asc(articles.updatedAt)], 8),
    select(and(visible, eq(articles.status, "scheduled")), [asc(articles.scheduledAt)], 8),
    select(and(visible, eq(articles.status, "published")), [desc(articles.publishedAt)], 8),
  ]);
  return { drafts, review, scheduled, published };
}

/** Choices for the filters and the editor: sections in order, staff who can be bylined (names only). */
export async function editorChoices(actor: Actor) {
  if (!can(actor, "article:create")) throw new ForbiddenError("list the newsroom's sections and staff");
  const db = await getDb();
  const [sectionRows, people] = await Promise.all([
    db.select({ id: sections.id, name: sections.name }).from(sections).orderBy(asc(sections.position), asc(sections.name)),
    db.select({ id: users.id, name: users.name }).from(users).orderBy(asc(users.name)),
  ]);
  return { sections: sectionRows, people };
}

