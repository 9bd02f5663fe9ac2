import "server-only";
import { and, asc, count, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { articles, auditLog, sections } from "@/db/schema";
import { isPublic } from "@/lib/articles/summaries";
import { publicTagsForArticles } from "@/lib/articles/touched";
import { can, type Actor } from "@/lib/auth/permissions";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { tags } from "@/lib/cache/tags";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { freeSlugFor, lockTaxonomy, moveAddress, nameField, oldAddressesOf, parseInput, requireFreeName, requireFreeSlug, slugField } from "@/lib/taxonomy";
import { withoutControlCharacters } from "@/lib/text";

// Sections, for admins (sections:manage): create, rename, re-address, reorder, and
// delete while no article uses one. Each change is one transaction with its audit row, then expires
// the reader pages that show it: the navigation, the section's listing (old and new address, and
// every older address, whose cached redirect names the current one) and its public articles.

export const SECTION_NAME_MAX = 300;

const sectionSchema = z.object({
  name: nameField(SECTION_NAME_MAX),
  slug: slugField,
  description: z
    .string()
    .overwrite(withoutControlCharacters)
    .trim()
    .max(1000, { error: "use at most 1,000 characters" })
    .transform((text) => text || null),
});

export type SectionInput = { name?: string; slug?: string; description?: string };

const parseSection = (input: SectionInput) => parseInput(sectionSchema, { name: input.name ?? "", slug: input.slug ?? "", description: input.description ?? "" });

function requireManager(actor: Actor, action: string) {
  if (!can(actor, "sections:manage")) throw new ForbiddenError(action);
}

export type StaffSection = { id: string; slug: string; name: string; description: string | null; position: number; articles: number; published: number };

/** Every section in navigation order, with how many articles use it (any status) and how many are public. */
export async function listSectionsForStaff(actor: Actor): Promise<StaffSection[]> {
  requireManager(actor, "manage sections");
  const db = await getDb();
  return db
    .select({
      id: sections.id,
      slug: sections.slug,
      name: sections.name,
      description: sections.description,
      position: sections.position,
      articles: sql<number>`count(${articles.id})::int`,
      published: sql<number>`(count(${articles.id}) filter (where ${isPublic()}))::int`,
    })
    .from(sections)
    .leftJoin(articles, eq(articles.sectionId, sections.id))
    .groupBy(sections.id)
    .orderBy(asc(sections.position), asc(sections.name), asc(sections.id));
}

/** A new section at the end of the navigation; its address comes from the name unless one is given. */
export async function createSection(actor: Actor, input: SectionInput): Promise<{ id: string; slug: string }> {
  requireManager(actor, "manage sections");
  const data = parseSection(input);
  const db = await getDb();
  const created = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    await requireFreeName(tx, "section", data.name, null);
    if (data.slug) await requireFreeSlug(tx, "section", data.slug, null);
    const slug = data.slug || (await freeSlugFor(tx, "section", data.name));
    const [last] = await tx.select({ position: max(sections.position) }).from(sections);
    const [row] = await tx
      .insert(sections)
      .values({ name: data.name, slug, description: data.description, position: (last?.position ?? -1) + 1 })
      .returning({ id: sections.id, slug: sections.slug });
    await tx.insert(auditLog).values({ actorId: actor.id, action: "section.create", entityType: "section", entityId: row!.id, details: { name: data.name, slug, via: actor.kind } });
    await noticeInTransaction(tx, [tags.sections, tags.section(slug)]);
    return row!;
  });
  await invalidateTags([tags.sections, tags.section(created.slug)], { noticed: true });
  return created;
}

async function lockedSection(tx: Tx, id: string) {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("section");
  const [row] = await tx.select().from(sections).where(eq(sections.id, id)).for("update");
  if (!row) throw new NotFoundError("section");
  return row;
}

async function publicArticleIds(tx: Tx, sectionId: string): Promise<string[]> {
  const rows = await tx.select({ id: articles.id }).from(articles).where(and(eq(articles.sectionId, sectionId), isPublic()));
  return rows.map((row) => row.id);
}

/**
 * Renames a section, changes its address or description. An empty slug keeps the current address;
 * a new one leaves the old as a redirect. Nothing changed: nothing written.
 */
export async function updateSection(actor: Actor, id: string, input: SectionInput): Promise<{ slug: string }> {
  requireManager(actor, "manage sections");
  const data = parseSection(input);
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const current = await lockedSection(tx, id);
    const slug = data.slug || current.slug;
    const changes: Record<string, unknown> = {};
    if (data.name !== current.name) changes.name = { from: current.name, to: data.name };
    if (slug !== current.slug) changes.slug = { from: current.slug, to: slug };
    if (data.description !== current.description) changes.description = true;
    if (Object.keys(changes).length === 0) return { slug, touched: [] };
    if (changes.name) await requireFreeName(tx, "section", data.name, id);
    if (changes.slug) {
      await requireFreeSlug(tx, "section", slug, id);
      await moveAddress(tx, "section", id, current.slug, slug);
    }
    await tx.update(sections).set({ name: data.name, slug, description: data.description }).where(eq(sections.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "section.update", entityType: "section", entityId: id, details: { name: data.name, slug, changes, via: actor.kind } });
    // the description shows on the section's own page only; a name or address shows on its articles too
    const articleTags = changes.name || changes.slug ? await publicTagsForArticles(tx, await publicArticleIds(tx, id)) : [];
    const addresses = [current.slug, slug, ...(await oldAddressesOf(tx, "section", id))];
    const touched = [tags.sections, tags.sitemap, ...addresses.map(tags.section), ...articleTags];
    await noticeInTransaction(tx, touched);
    return { slug, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return { slug: result.slug };
}

/** Swaps a section with its neighbour in the navigation; the first cannot go up, nor the last down. */
export async function moveSection(actor: Actor, id: string, direction: "up" | "down"): Promise<void> {
  requireManager(actor, "manage sections");
  const db = await getDb();
  const moved = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const section = await lockedSection(tx, id);
    // renumber from the shown order, so equal positions (the column's default) still move
    const order = await tx.select({ id: sections.id }).from(sections).orderBy(asc(sections.position), asc(sections.name), asc(sections.id));
    const from = order.findIndex((row) => row.id === id);
    const to = direction === "up" ? from - 1 : from + 1;
    if (to < 0 || to >= order.length) return false;
    [order[from], order[to]] = [order[to]!, order[from]!];
    for (const [position, row] of order.entries()) await tx.update(sections).set({ position }).where(eq(sections.id, row.id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "section.move", entityType: "section", entityId: id, details: { name: section.name, slug: section.slug, direction, from: from + 1, to: to + 1, via: actor.kind } });
    await noticeInTransaction(tx, [tags.sections, tags.sitemap]);
    return true;
  });
  if (moved) await invalidateTags([tags.sections, tags.sitemap], { noticed: true });
}

/** Deletes a section no article uses (in any status); refused with 409 saying how many do. */
export async function deleteSection(actor: Actor, id: string): Promise<void> {
  requireManager(actor, "manage sections");
  const db = await getDb();
  const touched = await db.transaction(async (tx) => {
    await lockTaxonomy(tx);
    const section = await lockedSection(tx, id);
    const [used] = await tx.select({ n: count() }).from(articles).where(eq(articles.sectionId, id));
    const n = used?.n ?? 0;
    if (n > 0) {
      throw new ConflictError(`The section “${section.name}” is used by ${n} ${n === 1 ? "article" : "articles"}. Move ${n === 1 ? "it" : "them"} to another section first, then delete it.`);
    }
    const addresses = [section.slug, ...(await oldAddressesOf(tx, "section", id))];
    await tx.delete(sections).where(eq(sections.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "section.delete", entityType: "section", entityId: id, details: { name: section.name, slug: section.slug, via: actor.kind } });
    const touched = [tags.sections, tags.sitemap, ...addresses.map(tags.section)];
    await noticeInTransaction(tx, touched);
    return touched;
  });
  await invalidateTags(touched, { noticed: true });
}
