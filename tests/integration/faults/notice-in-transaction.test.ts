import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDatabase, getDb } from "@/db/client";
import { sections } from "@/db/schema";
import { INVALIDATION_CHANNEL, noticeInTransaction, processOrigin } from "@/lib/cache/invalidate";
import { tags } from "@/lib/cache/tags";
import { createSection, deleteSection, moveSection, updateSection } from "@/lib/sections/mutations";
import { updateSiteSettings } from "@/lib/settings";
import { updateOwnProfile } from "@/lib/staff/profile";
import { createTag, deleteTag, updateTag } from "@/lib/tags/mutations";
import { makeStaff } from "../../fixtures/builders";
import { databaseUrl, testServerUrl } from "../../fixtures/database";

// On PostgreSQL, a mutation's notice to the other instances goes inside its own transaction: it is
// delivered at the commit, with the change, or never (a rollback, or a process killed before its
// commit). So a process killed between its commit and its post-commit invalidation still leaves no
// other instance serving the old page.

// A process killed right after its commit, played by the expiry that follows each commit failing:
// the notice must already be on its way.
const afterCommit = vi.hoisted(() => ({ dies: false }));
vi.mock("@/lib/cache/invalidate", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/cache/invalidate")>();
  return {
    ...original,
    invalidateTags: (...args: Parameters<typeof original.invalidateTags>) =>
      afterCommit.dies ? Promise.reject(new Error("the process died after its commit")) : original.invalidateTags(...args),
  };
});

const serverUrl = testServerUrl();
let listener: pg.Client;
const received: string[][] = [];

describe.skipIf(!serverUrl)("the cache notice inside a transaction (PostgreSQL)", () => {
  beforeAll(async () => {
    const database = (await getDatabase()).location.split("/").pop()!;
    listener = new pg.Client({ connectionString: databaseUrl(serverUrl!, database) });
    await listener.connect();
    listener.on("notification", (message) => {
      const payload = JSON.parse(message.payload ?? "{}") as { origin?: string; tags?: string[] };
      if (message.channel === INVALIDATION_CHANNEL && payload.origin === processOrigin) received.push(payload.tags ?? []);
    });
    await listener.query(`listen ${INVALIDATION_CHANNEL}`);
  });
  afterAll(async () => listener?.end());

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it("is delivered at the commit, not before it", async () => {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await noticeInTransaction(tx, ["article:committed", "front-page", "front-page"]);
      await settle();
      expect(received).toEqual([]); // still inside the transaction: nobody has heard
    });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual([["article:committed", "front-page"]]);
  });

  it("is never delivered when the transaction rolls back", async () => {
    received.length = 0;
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await noticeInTransaction(tx, ["article:rolled-back"]);
        await tx.execute(sql`select 1/0`);
      }),
    ).rejects.toThrow();
    await settle();
    expect(received).toEqual([]);
  });

  // Each mutation's own transaction sends the notice, so it reaches the other instances even when
  // the process dies between the commit and the expiry after it; and that expiry sends no second one.
  it("is sent once, at the commit, by the taxonomy, settings and profile changes, even if the process dies right after", async () => {
    const admin = await makeStaff("admin", "Nadia Notice");
    const once = async <T>(change: () => Promise<T>, expected: string[]): Promise<T> => {
      received.length = 0;
      const result = await change();
      await expect.poll(() => received.length, { timeout: 5_000 }).toBeGreaterThan(0);
      await settle();
      expect(received).toHaveLength(1);
      expect(received[0]).toEqual(expect.arrayContaining(expected));
      return result;
    };
    const diesAfterCommit = async (change: () => Promise<unknown>, expected: string[]) => {
      afterCommit.dies = true;
      try {
        await once(() => expect(change()).rejects.toThrow("the process died after its commit"), expected);
      } finally {
        afterCommit.dies = false;
      }
    };
    const tag = await once(() => createTag(admin, { name: "Notice tag" }), [tags.tag("notice-tag")]);
    await diesAfterCommit(() => updateTag(admin, tag.id, { name: "Notice tag", slug: "notice-tag-moved" }), [tags.tag(tag.slug), tags.tag("notice-tag-moved")]);
    await diesAfterCommit(() => deleteTag(admin, tag.id), [tags.tag("notice-tag-moved")]);
    await once(() => createSection(admin, { name: "Notice front" }), [tags.section("notice-front")]);
    await diesAfterCommit(() => createSection(admin, { name: "Notice desk" }), [tags.sections, tags.section("notice-desk")]);
    const [desk] = await (await getDb()).select({ id: sections.id }).from(sections).where(eq(sections.slug, "notice-desk"));
    await diesAfterCommit(() => moveSection(admin, desk!.id, "up"), [tags.sections, tags.sitemap]);
    await once(() => updateSection(admin, desk!.id, { name: "Notice desk", slug: "notice-room" }), [tags.section("notice-desk"), tags.section("notice-room")]);
    await diesAfterCommit(() => deleteSection(admin, desk!.id), [tags.section("notice-room")]);
    await diesAfterCommit(() => updateSiteSettings(admin, { name: "Notice Weekly", description: "", timeZone: "UTC" }), [tags.settings, tags.feed, tags.sitemap]);
    await diesAfterCommit(() => updateOwnProfile(admin, { name: "Nadia Notice", bio: "Hears everything once." }), [tags.author(admin.slug)]);
  });
});
