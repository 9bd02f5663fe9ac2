import { randomUUID } from "node:crypto";
import { count, like, sql } from "drizzle-orm";
import { createArticle } from "@/lib/articles/mutations";
import { operator } from "@/lib/auth/permissions";
import type { BlockNode, InlineNode } from "@/lib/rich-text/schema";
import { getMediaStorage } from "@/lib/media/storage";
import { getDb } from "./client";
import { articles, auditLog, media, sections, tags, users } from "./schema";
import { demoArticles, demoAuthors, demoSections, demoTags, type DemoBlock } from "./seed/demo-content";
import { renderHero } from "./seed/hero-image";

const DEMO_EMAIL_DOMAIN = "@toponemagazine.example";

function inline(text: string): InlineNode[] {
  return [{ type: "text", text }];
}

function toBlock(block: DemoBlock): BlockNode {
  if (typeof block === "string") return { type: "paragraph", content: inline(block) };
  if ("heading" in block) return { type: "heading", attrs: { level: 2 }, content: inline(block.heading) };
  if ("pullQuote" in block) return { type: "pullQuote", content: inline(block.pullQuote) };
  if ("quote" in block) {
    const cite = block.cite ? [{ type: "paragraph" as const, content: inline(`— ${block.cite}`) }] : [];
    return { type: "blockquote", content: [{ type: "paragraph", content: inline(block.quote) }, ...cite] };
  }
  return {
    type: block.ordered ? "orderedList" : "bulletList",
    content: block.list.map((item) => ({ type: "listItem" as const, content: [{ type: "paragraph" as const, content: inline(item) }] })),
  };
}

/** True when the database holds no articles and no people: a fresh install. */
export async function isDatabaseEmpty(): Promise<boolean> {
  const db = await getDb();
  const [a] = await db.select({ n: count() }).from(articles);
  const [u] = await db.select({ n: count() }).from(users);
  return (a?.n ?? 0) === 0 && (u?.n ?? 0) === 0;
}

async function storeHero(hue: number, seed: number): Promise<string> {
  const db = await getDb();
  const storage = getMediaStorage();
  const id = randomUUID();
  const image = await renderHero(hue, seed);
  const key = `${id}.webp`;
  await storage.put(key, image.original);
  const variants = [];
  for (const variant of image.variants) {
    const variantKey = `${id}-${variant.width}.webp`;
    await storage.put(variantKey, variant.bytes);
    variants.push({ key: variantKey, width: variant.width, height: variant.height, mimeType: "image/webp", bytes: variant.bytes.byteLength });
  }
  await db.insert(media).values({
    id,
    storageKey: key,
    mimeType: "image/webp",
    width: image.width,
    height: image.height,
    bytes: image.original.byteLength,
    variants,
  });
  return id;
}

/** Writes the demo magazine: sections, tags, staff authors (without passwords) and about 30 articles. */
export async function seedDemoContent(now = new Date()): Promise<{ articles: number }> {
  const db = await getDb();
  await db.insert(sections).values(demoSections.map((s, position) => ({ ...s, position }))).onConflictDoNothing();
  await db.insert(tags).values(demoTags).onConflictDoNothing();
  await db
    .insert(users)
    .values(demoAuthors.map((a) => ({ email: a.email, name: a.name, slug: a.slug, role: a.role, bio: a.bio })))
    .onConflictDoNothing();

  let seed = 1;
  for (const article of demoArticles) {
    const heroId = article.hero ? await storeHero(article.hero.hue, seed++) : null;
    await createArticle(operator, {
      slug: article.slug,
      title: article.title,
      dek: article.dek,
      body: { type: "doc", content: article.body.map(toBlock) },
      section: article.section,
      tags: demoTags.filter((t) => article.tags.includes(t.slug)).map((t) => t.name),
      authors: article.authors,
      sourceName: article.source?.name,
      sourceUrl: article.source?.url,
      status: "published",
      publishedAt: new Date(now.getTime() - article.hoursAgo * 3_600_000),
      isFeatured: article.featured ?? false,
      hero: heroId && article.hero ? { mediaId: heroId, alt: article.hero.alt, caption: article.hero.caption, credit: article.hero.credit } : null,
    });
  }
  return { articles: demoArticles.length };
}

/** Removes all content and the demo authors (staff with passwords stay), then seeds again. Development only. */
export async function reseedDemoContent(): Promise<{ articles: number }> {
  const db = await getDb();
  const storage = getMediaStorage();
  const stored = await db.select({ key: media.storageKey, variants: media.variants }).from(media);
  await db.transaction(async (tx) => {
    await tx.execute(sql`truncate articles, article_authors, article_tags, revisions, redirects, corrections cascade`);
    await tx.update(users).set({ photoMediaId: null }).where(sql`true`);
    await tx.delete(media).where(sql`true`);
    await tx.delete(tags).where(sql`true`);
    await tx.delete(sections).where(sql`true`);
    await tx.delete(users).where(sql`${users.passwordHash} is null and ${like(users.email, `%${DEMO_EMAIL_DOMAIN}`)}`);
    await tx.insert(auditLog).values({ action: "database.reseed", entityType: "database", details: {} });
  });
  for (const item of stored) {
    for (const key of [item.key, ...item.variants.map((v) => v.key)]) await storage.delete(key);
  }
  return seedDemoContent();
}
