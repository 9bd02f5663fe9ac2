import "server-only";
import { eq, ilike, or, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { articleAuthors, articles, articleTags, auditLog, redirects, revisions, sections, users } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { tags } from "@/lib/cache/tags";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { toPlainText } from "@/lib/rich-text/plain-text";
import { slugify, uniqueSlug } from "@/lib/slug";
import { tagsNamed } from "@/lib/taxonomy";
import { checkArticleImages } from "./images";
import { newArticleSchema, type NewArticleInput } from "./validation";

export type CreatedArticle = { id: string; slug: string; status: "draft" | "published"; touched: string[] };

/**
 * Creates an article with its authors, tags, first revision and audit entry in one transaction:
 * a failure anywhere leaves nothing behind. Publishing needs the publish capability.
 */
export async function createArticle(actor: Actor, input: NewArticleInput): Promise<CreatedArticle> {
  if (!can(actor, "article:create")) throw new ForbiddenError("create articles");
  const parsed = newArticleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`${issue?.path.join(".") || "article"}: ${issue?.message}`);
  }
  const data = parsed.data;
  if (data.status === "published" && !can(actor, "article:publish")) throw new ForbiddenError("publish articles");

  const db = await getDb();
  return db.transaction(async (tx) => {
    const section = data.section ? await resolveSection(tx, data.section) : null;
    const authorRows = await resolveAuthors(tx, data.authors);
    const tagRows = await tagsNamed(tx, data.tags);
    await checkArticleImages(tx, { body: data.body, heroMediaId: data.hero?.mediaId ?? null });
    // taken: another article's address, or an old address that forwards to one (as the editor's claimSlug refuses)
    const slug = await uniqueSlug(data.slug ?? slugify(data.title), async (candidate) => {
      const [row] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, candidate)).limit(1);
      const [forwarding] = await tx.select({ id: redirects.id }).from(redirects).where(eq(redirects.fromPath, `/article/${candidate}`)).limit(1);
      return Boolean(row) || Boolean(forwarding);
    });
    const publishedAt = data.status === "published" ? (data.publishedAt ?? new Date()) : null;

    const [article] = await tx
      .insert(articles)
      .values({
        slug,
        title: data.title,
        dek: data.dek,
        body: data.body,
        bodyText: toPlainText(data.body),
        status: data.status,
        sectionId: section?.id ?? null,
        heroMediaId: data.hero?.mediaId ?? null,
        heroAlt: data.hero?.alt ?? null,
        heroCaption: data.hero?.caption ?? null,
        heroCredit: data.hero?.credit ?? null,
        sourceName: data.sourceName ?? (data.sourceUrl ? new URL(data.sourceUrl).hostname.replace(/^www\./, "") : null),
        sourceUrl: data.sourceUrl,
        isFeatured: data.isFeatured,
        publishedAt,
        createdBy: actor.id,
        ...(publishedAt ? { createdAt: publishedAt, updatedAt: publishedAt } : {}),
      })
      .returning({ id: articles.id, slug: articles.slug });
    if (!article) throw new Error("insert returned no row");

    if (authorRows.length > 0) {
      await tx.insert(articleAuthors).values(authorRows.map((author, position) => ({ articleId: article.id, userId: author.id, position })));
    }
    if (tagRows.length > 0) {
      await tx.insert(articleTags).values(tagRows.map((tag) => ({ articleId: article.id, tagId: tag.id })));
    }
    await tx.insert(revisions).values({ articleId: article.id, version: 1, snapshot: { ...data, slug }, authorId: actor.id });
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: data.status === "published" ? "article.create_published" : "article.create",
      entityType: "article",
      entityId: article.id,
      details: { slug, title: data.title, via: actor.kind },
    });

    const touched =
      data.status === "published"
        ? [
            tags.article(slug),
            tags.frontPage,
            tags.feed,
            tags.sitemap,
            tags.search,
            ...(section ? [tags.section(section.slug)] : []),
            ...tagRows.map((tag) => tags.tag(tag.slug)),
            ...authorRows.map((author) => tags.author(author.slug)),
          ]
        : [];
    return { id: article.id, slug, status: data.status, touched };
  });
}

async function resolveSection(tx: Tx, ref: string) {
  const [section] = await tx
    .select({ id: sections.id, slug: sections.slug })
    .from(sections)
    .where(or(eq(sections.slug, slugify(ref)), ilike(sections.name, ref)))
    .limit(1);
  if (section) return section;
  const known = await tx.select({ slug: sections.slug }).from(sections).orderBy(sections.position);
  throw new ValidationError(`section "${ref}" does not exist; use one of: ${known.map((s) => s.slug).join(", ") || "(none yet)"}`);
}

async function resolveAuthors(tx: Tx, refs: string[]) {
  const found: { id: string; slug: string }[] = [];
  for (const ref of refs) {
    const [author] = await tx
      .select({ id: users.id, slug: users.slug })
      .from(users)
      .where(or(eq(users.slug, slugify(ref)), sql`lower(${users.email}) = lower(${ref})`, ilike(users.name, ref)))
      .limit(1);
    if (!author) throw new ValidationError(`author "${ref}" is not on the staff list; give a staff member's name, slug or email`);
    if (!found.some((a) => a.id === author.id)) found.push(author);
  }
  return found;
}

