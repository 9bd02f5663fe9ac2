import "server-only";
import { and, asc, count, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { articles, articleTags, auditLog, tags as tagTable, taxonomyRedirects } from "@/db/schema";
import { isPublic } from "@/lib/articles/summaries";
import { publicTagsForArticles } from "@/lib/articles/touched";
import { can, type Actor } from "@/lib/auth/permissions";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { tags } from "@/lib/cache/tags";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { freeSlugFor, lockTaxonomy, moveAddress, nameField, oldAddressesOf, parseInput, pointRedirect, requireFreeName, requireFreeSlug, slugField } from "@/lib/taxonomy";
import { containsPattern, withoutControlCharacters } from "@/lib/text";

// Tags, for editors and admins (tags:manage): list and search, create, rename, re-address, merge
// one into another, and delete. Each change is one transaction with its audit row, then expires the
// reader pages that show it: the tag's listing (old and new address, and every older address, whose
// cached redirect names the current one) and its public articles.

export const TAG_PAGE_SIZE = 50;

// The article editor takes tags as a comma-separated list of names of at most 60 characters
// (lib/articles/validation.ts): a longer name, or one with a comma, could not be saved back there.
export const TAG_NAME_MAX = 60;

const tagSchema = z.object({
  name: nameField(TAG_NAME_MAX).refine((name) => !name.includes(","), { error: "leave out commas: the article editor separates tags with them" }),
  slug: slugField,
});

export type TagInput = { name?: string; slug?: string };

const parseTag = (input: TagInput) => parseInput(tagSchema, { name: input.name ?? "", slug: input.slug ?? "" });

function requireManager(actor: Actor, action: string) {
  if (!can(actor, "tags:manage")) throw new ForbiddenError(action);
}

export type StaffTag = { id: string; slug: string; name: string; articles: number };

/** Tags by name, 50 a page, with how many articles carry each; `query` matches part of the name. */
export async function listTagsForStaff(actor: Actor, { query = "", page = 1 }: { query?: string; page?: number } = {}): Promise<{ items: StaffTag[]; total: number; totalPages: number; page: number }> {
  requireManager(actor, "manage tags");
  const db = await getDb();
  // the same characters a name can hold: a tab typed in a name can be searched for
  const text = withoutControlCharacters(query).trim().slice(0, 200);
  // typed % and _ are literal characters, not wildcards
  const where: SQL | undefined = text ? ilike(tagTable.name, containsPattern(text)) : undefined;
  const [total] = await db.select({ n: count() }).from(tagTable).where(where);
  const items = await db
    .select({ id: tagTable.id, slug: tagTable.slug, name: tagTable.name, articles: sql<number>`count(${articleTags.articleId})::int` })
    .from(tagTable)
    .leftJoin(articleTags, eq(articleTags.tagId, tagTable.id))
    .where(where)
    .groupBy(tagTable.id)
    .orderBy(asc(sql`lower(${tagTable.name})`), asc(tagTable.id))
    .limit(TAG_PAGE_SIZE)
    .offset((page - 1) * TAG_PAGE_SIZE);
  const n = total?.n ?? 0;
  return { items, total: n, totalPages: Math.max(1, Math.ceil(n / TAG_PAGE_SIZE)), page };
}

/** A new tag; its address comes from the name unless one is given. */
export async function createTag(actor: Actor, input: TagInput): Promise<{ id: string; slug: string }> {
  requireManager(actor, "manage tags");
  const data = parseTag(input);
  const db = await getDb();
  const created = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    await requireFreeName(tx, "tag", data.name, null);
    if (data.slug) await requireFreeSlug(tx, "tag", data.slug, null);
    const slug = data.slug || (await freeSlugFor(tx, "tag", data.name));
    const [row] = await tx.insert(tagTable).values({ name: data.name, slug }).returning({ id: tagTable.id, slug: tagTable.slug });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "tag.create", entityType: "tag", entityId: row!.id, details: { name: data.name, slug, via: actor.kind } });
    // a cached "not found" (or old redirect) may sit at the new address
    await noticeInTransaction(tx, [tags.tag(slug)]);
    return row!;
  });
  await invalidateTags([tags.tag(created.slug)], { noticed: true });
  return created;
}

async function lockedTag(tx: Tx, id: string) {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("tag");
  const [row] = await tx.select().from(tagTable).where(eq(tagTable.id, id)).for("update");
  if (!row) throw new NotFoundError("tag");
  return row;
}

async function publicArticleIds(tx: Tx, tagId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: articles.id })
    .from(articleTags)
    .innerJoin(articles, eq(articles.id, articleTags.articleId))
    .where(and(eq(articleTags.tagId, tagId), isPublic()));
  return rows.map((row) => row.id);
}

/** Renames a tag or changes its address (an empty slug keeps it; a new one leaves the old as a redirect). */
export async function updateTag(actor: Actor, id: string, input: TagInput): Promise<{ slug: string }> {
  requireManager(actor, "manage tags");
  const data = parseTag(input);
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const current = await lockedTag(tx, id);
    const slug = data.slug || current.slug;
    const changes: Record<string, unknown> = {};
    if (data.name !== current.name) changes.name = { from: current.name, to: data.name };
    if (slug !== current.slug) changes.slug = { from: current.slug, to: slug };
    if (Object.keys(changes).length === 0) return { slug, touched: [] };
    if (changes.name) await requireFreeName(tx, "tag", data.name, id);
    if (changes.slug) {
      await requireFreeSlug(tx, "tag", slug, id);
      await moveAddress(tx, "tag", id, current.slug, slug);
    }
    await tx.update(tagTable).set({ name: data.name, slug }).where(eq(tagTable.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "tag.update", entityType: "tag", entityId: id, details: { name: data.name, slug, changes, via: actor.kind } });
    const addresses = [current.slug, slug, ...(await oldAddressesOf(tx, "tag", id))];
    const touched = [...addresses.map(tags.tag), ...(await publicTagsForArticles(tx, await publicArticleIds(tx, id)))];
    await noticeInTransaction(tx, touched);
    return { slug, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return { slug: result.slug };
}

/**
 * Merges a tag into another, named by its slug or name: every article of the source gets the target,
 * the source is deleted, and its address (and any older one) redirects to the target.
 */
export async function mergeTag(actor: Actor, sourceId: string, input: { into?: string }): Promise<{ into: { id: string; slug: string; name: string }; articles: number }> {
  requireManager(actor, "manage tags");
  const into = (input.into ?? "").trim();
  if (!into) throw new ValidationError("into: name the tag to merge into, by its name or address", { into: ["name the tag to merge into"] });
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const source = await lockedTag(tx, sourceId);
    const [target] = await tx
      .select()
      .from(tagTable)
      .where(or(eq(tagTable.slug, into), sql`lower(${tagTable.name}) = lower(${into})`))
      // an address names one tag exactly; it wins over another tag's name
      .orderBy(sql`${tagTable.slug} = ${into} desc`)
      .limit(1)
      .for("update");
    if (!target) throw new ValidationError(`into: there is no tag named or at “${into}”`, { into: ["there is no such tag"] });
    if (target.id === source.id) throw new ValidationError("into: a tag cannot be merged into itself; choose another", { into: ["choose another tag"] });
    const [moving] = await tx.select({ n: count() }).from(articleTags).where(eq(articleTags.tagId, source.id));
    const publicMoved = await publicArticleIds(tx, source.id);
    // in the database, however many articles: an article that already has the target keeps one row
    await tx.execute(sql`insert into article_tags (article_id, tag_id) select article_id, ${target.id}::uuid from article_tags where tag_id = ${source.id}::uuid on conflict do nothing`);
    // the source's old addresses now lead to the target; then its own address joins them
    const addresses = [source.slug, ...(await oldAddressesOf(tx, "tag", source.id))];
    await tx.update(taxonomyRedirects).set({ tagId: target.id }).where(eq(taxonomyRedirects.tagId, source.id));
    await tx.delete(taxonomyRedirects).where(and(eq(taxonomyRedirects.kind, "tag"), eq(taxonomyRedirects.fromSlug, target.slug)));
    await tx.delete(tagTable).where(eq(tagTable.id, source.id));
    await pointRedirect(tx, "tag", source.slug, target.id);
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: "tag.merge",
      entityType: "tag",
      entityId: source.id,
      details: { name: source.name, slug: source.slug, into: { id: target.id, name: target.name, slug: target.slug }, articles: moving?.n ?? 0, via: actor.kind },
    });
    const touched = [...addresses.map(tags.tag), tags.tag(target.slug), ...(await publicTagsForArticles(tx, publicMoved))];
    await noticeInTransaction(tx, touched);
    return { into: { id: target.id, slug: target.slug, name: target.name }, articles: moving?.n ?? 0, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return { into: result.into, articles: result.articles };
}

/**
 * Deletes a tag: every article that carried it loses it (their pages, listings and feeds drop it),
 * and its address, with any older one, answers 404. A tag on articles needs `confirm: "yes"` (409
 * without). Merging into another tag instead keeps readers' links working; the page says so.
 */
export async function deleteTag(actor: Actor, id: string, input: { confirm?: string } = {}): Promise<{ name: string; articles: number }> {
  requireManager(actor, "manage tags");
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const tag = await lockedTag(tx, id);
    const [carrying] = await tx.select({ n: count() }).from(articleTags).where(eq(articleTags.tagId, tag.id));
    const articles = carrying?.n ?? 0;
    // counted now, not when the page was drawn: a tag that gained articles since asks again
    if (articles > 0 && input.confirm !== "yes") {
      throw new ConflictError(`The tag “${tag.name}” is on ${articles} ${articles === 1 ? "article" : "articles"}. Tick “Take it off” to delete it anyway, or merge it into another tag to keep its address working.`);
    }
    // read before the delete: the articles' cache tags name this tag's listing among the rest
    const touched = [tags.tag(tag.slug), ...(await oldAddressesOf(tx, "tag", tag.id)).map(tags.tag), ...(await publicTagsForArticles(tx, await publicArticleIds(tx, tag.id)))];
    // article_tags and taxonomy_redirects rows go with it (on delete cascade)
    await tx.delete(tagTable).where(eq(tagTable.id, tag.id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "tag.delete", entityType: "tag", entityId: tag.id, details: { name: tag.name, slug: tag.slug, articles, via: actor.kind } });
    await noticeInTransaction(tx, touched);
    return { name: tag.name, articles, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return { name: result.name, articles: result.articles };
}
