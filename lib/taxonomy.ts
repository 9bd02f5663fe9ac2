import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { sections, tags as tagTable, taxonomyRedirects, type TaxonomyKind } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import { isValidSlug, slugify, uniqueSlug } from "@/lib/slug";
import { withoutControlCharacters } from "@/lib/text";

// What sections and tags share: how their names and addresses are validated, and the redirects a
// changed address leaves behind (taxonomy_redirects; read by lib/redirects/queries.ts).

/** One taxonomy change at a time: slugs, positions and merges are then checked against a still picture. */
export async function lockTaxonomy(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('magazine:taxonomy'))`);
}

/** A typed name: control characters dropped, trimmed, and with a letter or digit to make an address from. */
export const nameField = (max: number) =>
  z
    .string()
    .overwrite(withoutControlCharacters)
    .trim()
    .min(1, { error: "a name is required" })
    .max(max, { error: `use at most ${max} characters` })
    .refine((name) => name === "" || slugify(name) !== "", { error: "use at least one letter or digit" });

/** An optional address; empty means "make one from the name". */
export const slugField = z
  .string()
  .trim()
  .refine((slug) => slug === "" || isValidSlug(slug), { error: "use lower-case letters, digits and single hyphens, such as world-news (at most 80 characters)" });

/** Parses a form against `schema`; a refusal is a 400 naming the first field, with every field's messages. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "input")] ??= []).push(issue.message);
  const first = parsed.error.issues[0]!;
  throw new ValidationError(`${String(first.path[0] ?? "input")}: ${first.message}`, fieldErrors);
}

const live = { section: sections, tag: tagTable } as const;
const targetColumn = (kind: TaxonomyKind) => (kind === "section" ? taxonomyRedirects.sectionId : taxonomyRedirects.tagId);

/**
 * Who else answers at /<kind>/<slug>: another section or tag with it, or the old address of one (its
 * redirect). Null when the address is free for `selfId` (null for one not yet created).
 */
export async function slugHolder(tx: Tx, kind: TaxonomyKind, slug: string, selfId: string | null): Promise<string | null> {
  const table = live[kind];
  const [current] = await tx
    .select({ name: table.name })
    .from(table)
    .where(selfId ? and(eq(table.slug, slug), ne(table.id, selfId)) : eq(table.slug, slug));
  if (current) return current.name;
  const [redirect] = await tx
    .select({ name: table.name })
    .from(taxonomyRedirects)
    .innerJoin(table, eq(table.id, targetColumn(kind)))
    .where(and(eq(taxonomyRedirects.kind, kind), eq(taxonomyRedirects.fromSlug, slug), selfId ? ne(table.id, selfId) : undefined));
  return redirect ? redirect.name : null;
}

/** The address a new section or tag gets from its name: the first of name, name-2… that nobody holds. */
export function freeSlugFor(tx: Tx, kind: TaxonomyKind, name: string): Promise<string> {
  return uniqueSlug(slugify(name) || kind, async (candidate) => (await slugHolder(tx, kind, candidate, null)) !== null);
}

/** Refuses (400, on the slug field) an address someone else holds, now or as their old address. */
export async function requireFreeSlug(tx: Tx, kind: TaxonomyKind, slug: string, selfId: string | null): Promise<void> {
  const holder = await slugHolder(tx, kind, slug, selfId);
  if (holder === null) return;
  const message = `the address ${slug} is taken by the ${kind} “${holder}”; choose another`;
  throw new ValidationError(`slug: ${message}`, { slug: [message] });
}

/** Refuses (400, on the name field) a name another section or tag of this kind has, in any letter case. */
export async function requireFreeName(tx: Tx, kind: TaxonomyKind, name: string, selfId: string | null): Promise<void> {
  const table = live[kind];
  const sameName = sql`lower(${table.name}) = lower(${name})`;
  const [other] = await tx
    .select({ name: table.name, slug: table.slug })
    .from(table)
    .where(selfId ? and(sameName, ne(table.id, selfId)) : sameName)
    .limit(1);
  if (!other) return;
  const message = `there is already a ${kind} named “${other.name}” (at ${other.slug})${kind === "tag" ? "; merge into it instead" : ""}`;
  throw new ValidationError(`name: ${message}`, { name: [message] });
}

/**
 * Moves a section or tag from `from` to `to`: its old address redirects to it, and if `to` was one
 * of its own old addresses, that redirect goes (the address is live again).
 */
export async function moveAddress(tx: Tx, kind: TaxonomyKind, id: string, from: string, to: string): Promise<void> {
  await tx.delete(taxonomyRedirects).where(and(eq(taxonomyRedirects.kind, kind), eq(taxonomyRedirects.fromSlug, to)));
  await pointRedirect(tx, kind, from, id);
}

/** Makes /<kind>/<fromSlug> redirect to the section or tag `id`, replacing a stale row for that address. */
export async function pointRedirect(tx: Tx, kind: TaxonomyKind, fromSlug: string, id: string): Promise<void> {
  const target = kind === "section" ? { sectionId: id, tagId: null } : { sectionId: null, tagId: id };
  await tx
    .insert(taxonomyRedirects)
    .values({ kind, fromSlug, ...target })
    .onConflictDoUpdate({ target: [taxonomyRedirects.kind, taxonomyRedirects.fromSlug], set: { ...target, createdAt: new Date() } });
}

/** Every old address that redirects to this section or tag: their cached redirects name its current address. */
export async function oldAddressesOf(tx: Tx, kind: TaxonomyKind, id: string): Promise<string[]> {
  const rows = await tx.select({ slug: taxonomyRedirects.fromSlug }).from(taxonomyRedirects).where(and(eq(taxonomyRedirects.kind, kind), eq(targetColumn(kind), id)));
  return rows.map((row) => row.slug);
}

/**
 * The tags an article's names stand for, by the article editor's rule and every other way in (the
 * API, imports): an existing tag of that name (any letter case; a renamed tag keeps its new
 * address), else a new tag at an address made from the name.
 */
export async function tagsNamed(tx: Tx, names: string[]): Promise<{ id: string; slug: string }[]> {
  const found = new Map<string, { id: string; slug: string }>();
  for (const name of names) {
    const [named] = await tx.select({ id: tagTable.id, slug: tagTable.slug }).from(tagTable).where(sql`lower(${tagTable.name}) = lower(${name})`).limit(1);
    if (named) {
      found.set(named.id, named);
      continue;
    }
    const slug = slugify(name);
    if (!slug) throw new ValidationError(`tags: “${name}” has no letters or digits to make an address from`, { tags: ["a tag needs letters or digits"] });
    await tx.insert(tagTable).values({ slug, name }).onConflictDoNothing({ target: tagTable.slug });
    const [bySlug] = await tx.select({ id: tagTable.id, slug: tagTable.slug }).from(tagTable).where(eq(tagTable.slug, slug));
    found.set(bySlug!.id, bySlug!);
  }
  return [...found.values()];
}
