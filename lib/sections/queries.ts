import "server-only";
import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articles, sections } from "@/db/schema";
import { listPublishedPage } from "@/lib/articles/listing";
import type { ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import type { Listing } from "@/lib/pagination";

export type SectionLink = { slug: string; name: string };

/** Sections in navigation order. Tag: sections. */
export const listSections = cachedQuery(
  "sections",
  async (): Promise<SectionLink[]> => {
    const db = await getDb();
    return db.select({ slug: sections.slug, name: sections.name }).from(sections).orderBy(asc(sections.position), asc(sections.name));
  },
  () => [tags.sections],
  [],
);

export type SectionListing = { section: SectionLink & { description: string | null } } & Listing<ArticleSummary>;

/** A section and one page of its articles; null for an unknown section or a page past the end. Tag: section. */
export const getSectionListing = cachedQuery(
  "section-listing",
  async (slug: string, page: number): Promise<SectionListing | null> => {
    const db = await getDb();
    const [section] = await db.select({ id: sections.id, slug: sections.slug, name: sections.name, description: sections.description }).from(sections).where(eq(sections.slug, slug));
    if (!section) return null;
    const listing = await listPublishedPage(eq(articles.sectionId, section.id), page);
    return listing && { section: { slug: section.slug, name: section.name, description: section.description }, ...listing };
  },
  (slug) => [tags.section(slug)],
);
