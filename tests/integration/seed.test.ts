import { count, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { articles, media, users } from "@/db/schema";
import { isDatabaseEmpty, reseedDemoContent, seedDemoContent } from "@/db/seed";
import { getPublishedArticle, listLatestArticles } from "@/lib/articles/queries";
import { getMediaStorage } from "@/lib/media/storage";

describe("demo content", () => {
  it("turns an empty database into a magazine", async () => {
    expect(await isDatabaseEmpty()).toBe(true);
    const { articles: seeded } = await seedDemoContent();
    expect(seeded).toBeGreaterThanOrEqual(30);
    expect(await isDatabaseEmpty()).toBe(false);

    const front = await listLatestArticles({ limit: 100 });
    expect(front).toHaveLength(seeded);
    expect(new Set(front.map((a) => a.section?.slug)).size).toBeGreaterThanOrEqual(5);
    expect(front.filter((a) => a.isFeatured).length).toBeGreaterThanOrEqual(1);
    expect(front.filter((a) => a.sourceName).length).toBeGreaterThanOrEqual(5);

    const db = await getDb();
    const [authors] = await db.select({ n: count() }).from(users);
    expect(authors?.n).toBeGreaterThanOrEqual(3);
    const withHero = front.filter((a) => a.hero);
    expect(withHero.length).toBeGreaterThanOrEqual(10);
    const [image] = await db.select().from(media).limit(1);
    const bytes = await getMediaStorage().get(image!.storageKey);
    expect(Buffer.from(bytes!).subarray(8, 12).toString()).toBe("WEBP");
    expect(image!.variants.length).toBeGreaterThan(0);

    const lengths = await Promise.all(front.map(async (a) => (await getPublishedArticle(a.slug))!.body.content.length));
    expect(Math.max(...lengths) / Math.min(...lengths)).toBeGreaterThan(3);
  });

  it("reseeds without duplicating anything", async () => {
    const db = await getDb();
    const before = await db.select({ n: count() }).from(articles);
    await reseedDemoContent();
    const after = await db.select({ n: count() }).from(articles);
    expect(after).toEqual(before);
    const [staffWithoutPassword] = await db.select({ n: count() }).from(users).where(isNotNull(users.passwordHash));
    expect(staffWithoutPassword?.n).toBe(0);
    const [featured] = await db.select({ n: count() }).from(articles).where(eq(articles.isFeatured, true));
    expect(featured?.n).toBeGreaterThanOrEqual(1);
  });
});
