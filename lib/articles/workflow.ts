import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { articleAuthors, articles, auditLog, corrections, redirects, type Article } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { slugify, uniqueSlug } from "@/lib/slug";
import { withoutControlCharacters } from "@/lib/text";
import { isOwn, loadEditable, StaleVersionError } from "./editing";
import { publishProblems } from "./publish-rules";
import { publicTagsForArticles } from "./touched";

// An article's way through the newsroom: draft → review → scheduled/published → draft again
// (unpublished) or archived. Writers submit their own drafts; editors and admins do the rest. Each
// step names the version it acts on, bumps it, and expires every page the change shows on.

export type WorkflowStep = "submit" | "publish" | "schedule" | "unpublish" | "archive";

type Row = Pick<Article, "id" | "status" | "version" | "title" | "slug" | "body" | "heroMediaId" | "heroAlt" | "publishedAt" | "createdBy">;

async function lockArticle(tx: Tx, id: string): Promise<Row & { authorIds: string[] }> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("article");
  const [article] = await tx
    .select({ id: articles.id, status: articles.status, version: articles.version, title: articles.title, slug: articles.slug, body: articles.body, heroMediaId: articles.heroMediaId, heroAlt: articles.heroAlt, publishedAt: articles.publishedAt, createdBy: articles.createdBy })
    .from(articles)
    .where(eq(articles.id, id))
    .for("update");
  if (!article) throw new NotFoundError("article");
  const authors = await tx.select({ id: articleAuthors.userId }).from(articleAuthors).where(eq(articleAuthors.articleId, id));
  return { ...article, authorIds: authors.map((a) => a.id) };
}

/** Moves an article one step (see WorkflowStep); `at` is the time for "schedule". */
export async function moveArticle(actor: Actor, id: string, step: WorkflowStep, version: number, at?: Date): Promise<{ version: number; status: Article["status"] }> {
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const article = await lockArticle(tx, id).catch((error: unknown) => {
      // those who cannot act on every article learn nothing about ids that are not theirs
      if (error instanceof NotFoundError && !can(actor, "article:edit-any")) throw new ForbiddenError(`${step} this article`);
      throw error;
    });
    if (step === "submit") {
      if (!can(actor, "article:publish") && !isOwn(actor, article)) throw new ForbiddenError("submit this article");
    } else if (!can(actor, "article:publish")) {
      throw new ForbiddenError(`${step} articles`);
    }
    if (!Number.isInteger(version)) throw new ValidationError("Reload the article: the request did not say which version it acts on.");
    if (article.version !== version) throw new StaleVersionError((await loadEditable(tx, id))!);
    const now = new Date();
    // a draft's placeholder address gives way to one made from the headline when it goes out
    if ((step === "publish" || step === "schedule") && article.slug.startsWith("draft-") && slugify(article.title)) {
      // taken: another article's slug, or another article's old address (a redirect), as claimSlug refuses
      article.slug = await uniqueSlug(slugify(article.title), async (candidate) => {
        const [taken] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, candidate));
        const [redirected] = await tx.select({ articleId: redirects.articleId }).from(redirects).where(eq(redirects.fromPath, `/article/${candidate}`));
        return Boolean(taken) || Boolean(redirected && redirected.articleId !== id);
      });
    }
    const change = { ...planStep(step, article, now, at), slug: article.slug };
    const touchedBefore = article.status === "published" ? await publicTagsForArticles(tx, [id]) : [];
    const nextVersion = article.version + 1;
    await tx.update(articles).set({ ...change, updatedAt: now, version: nextVersion }).where(eq(articles.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: `article.${step}`, entityType: "article", entityId: id, details: { title: article.title, from: article.status, to: change.status, ...(change.scheduledAt ? { at: change.scheduledAt.toISOString() } : {}) } });
    const touchedAfter = change.status === "published" ? await publicTagsForArticles(tx, [id]) : [];
    const touched = [...new Set([...touchedBefore, ...touchedAfter])];
    await noticeInTransaction(tx, touched);
    return { version: nextVersion, status: change.status, touched };
  });
  await invalidateTags(result.touched, { noticed: true });
  return { version: result.version, status: result.status };
}

function planStep(step: WorkflowStep, article: Row, now: Date, at?: Date): { status: Article["status"]; publishedAt?: Date | null; scheduledAt?: Date | null } {
  const refuse = (message: string) => {
    throw new ValidationError(message);
  };
  const needComplete = () => {
    const problems = publishProblems(article);
    if (problems.length > 0) throw new ValidationError(`It cannot be published yet. ${problems.join(" ")}`, { publish: problems });
  };
  switch (step) {
    case "submit":
      if (article.status !== "draft") refuse("Only a draft can be submitted for review.");
      return { status: "review" };
    case "publish":
      if (article.status === "published") refuse("It is already published.");
      needComplete();
      // a republished article keeps its first publication date
      return { status: "published", publishedAt: article.publishedAt && article.publishedAt <= now ? article.publishedAt : now, scheduledAt: null };
    case "schedule":
      if (!at || Number.isNaN(at.getTime())) return refuse("Choose a date, a time and a time zone to publish at.");
      if (at.getTime() <= now.getTime() + 60_000) refuse("Choose a time in the future (at least a minute from now), or publish now.");
      if (article.status === "published") refuse("It is already published: unpublish it first to schedule it.");
      needComplete();
      return { status: "scheduled", scheduledAt: at, publishedAt: null };
    case "unpublish":
      if (article.status !== "published" && article.status !== "scheduled") refuse("Only a published or scheduled article can be unpublished.");
      return { status: "draft", scheduledAt: null };
    case "archive":
      if (article.status === "archived") refuse("It is already archived.");
      return { status: "archived", scheduledAt: null };
  }
}

/** Adds a dated correction note to a published article (editors and admins); it shows on the page at once. */
export async function addCorrection(actor: Actor, id: string, note: string): Promise<void> {
  if (!can(actor, "article:publish")) throw new ForbiddenError("add corrections");
  const text = withoutControlCharacters(note).trim();
  if (!text) throw new ValidationError("Write the correction.");
  if (text.length > 2000) throw new ValidationError("A correction is at most 2,000 characters.");
  const db = await getDb();
  const touched = await db.transaction(async (tx) => {
    if (!z.uuid().safeParse(id).success) throw new NotFoundError("article");
    const [article] = await tx.select({ status: articles.status }).from(articles).where(eq(articles.id, id));
    if (!article) throw new NotFoundError("article");
    if (article.status !== "published") throw new ValidationError("Corrections are for published articles; edit a draft instead.");
    await tx.insert(corrections).values({ articleId: id, note: text, authorId: actor.id });
    await tx.update(articles).set({ updatedAt: new Date(), version: sql`${articles.version} + 1` }).where(eq(articles.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "article.correct", entityType: "article", entityId: id, details: { note: text } });
    const tags = await publicTagsForArticles(tx, [id]);
    await noticeInTransaction(tx, tags);
    return tags;
  });
  await invalidateTags(touched, { noticed: true });
}
