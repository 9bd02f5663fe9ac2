import "server-only";
import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { articleAuthors, articles, media, users } from "@/db/schema";
import { countPublicLinked, listPublishedPage } from "@/lib/articles/listing";
import type { ArticleSummary } from "@/lib/articles/summaries";
import { cachedQuery } from "@/lib/cache/cached";
import { tags } from "@/lib/cache/tags";
import { imageView, type ImageView } from "@/lib/media/urls";
import type { Listing } from "@/lib/pagination";

export type AuthorProfile = { slug: string; name: string; bio: string | null; photo: ImageView | null };
export type AuthorListing = { author: AuthorProfile } & Listing<ArticleSummary>;

/** An author's public profile (never email, role or sign-in data) and one page of their articles. Tag: author. */
export const getAuthorListing = cachedQuery(
  "author-listing",
  async (slug: string, page: number): Promise<AuthorListing | null> => {
    const db = await getDb();
    const [author] = await db
      .select({ id: users.id, slug: users.slug, name: users.name, bio: users.bio, photoKey: media.storageKey, photoWidth: media.width, photoHeight: media.height, photoVariants: media.variants })
      .from(users)
      .leftJoin(media, eq(media.id, users.photoMediaId))
      .where(eq(users.slug, slug));
    if (!author) return null;
    const written = db.select({ id: articleAuthors.articleId }).from(articleAuthors).where(eq(articleAuthors.userId, author.id));
    const listing = await listPublishedPage(inArray(articles.id, written), page, () => countPublicLinked(articleAuthors, articleAuthors.articleId, eq(articleAuthors.userId, author.id)));
    // someone with no published work is staff, not an author: no public page for them
    if (!listing || listing.total === 0) return null;
    const photo =
      author.photoKey && author.photoWidth && author.photoHeight
        ? imageView({ storageKey: author.photoKey, width: author.photoWidth, height: author.photoHeight, variants: author.photoVariants ?? [] }, author.name)
        : null;
    return { author: { slug: author.slug, name: author.name, bio: author.bio, photo }, ...listing };
  },
  (slug) => [tags.author(slug)],
);
