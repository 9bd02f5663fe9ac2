import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, openDatabase, useDatabase } from "@/db/client";
import { createArticle } from "@/lib/articles/mutations";
import { operator } from "@/lib/auth/permissions";
import { invalidateTags } from "@/lib/cache/invalidate";
import { docOf } from "../fixtures/builders";
import { scheduleArticle } from "../fixtures/schedule-article";
import { SCHEDULED_TITLE } from "../setup/e2e-server";

const context = inject("e2e");
const get = async (path: string) => {
  const response = await fetch(`${context.baseUrl}${path}`);
  return { status: response.status, cache: response.headers.get("x-nextjs-cache"), text: await response.text() };
};
const escapedInHtml = (title: string) => title.replace(/&/g, "&amp;").replace(/'/g, "&#x27;");

// On PostgreSQL the test process shares the server's database, as a second instance or the CLI would.
beforeAll(async () => {
  if (context.databaseUrl) useDatabase(await openDatabase({ kind: "postgres", url: context.databaseUrl, poolSize: 2 }));
});
afterAll(async () => {
  if (context.databaseUrl) await closeDatabase();
});

describe("freshness of cached reader pages", () => {
  it("serves the front page, an article and the feed from the cache on repeat requests", async () => {
    for (const path of ["/", "/feed.xml", "/feed.json", "/section/world", "/search?q=river"]) {
      // a page rendered within a second of an expiry of its tags is kept as already stale (the
      // render may predate the change; see lib/cache/next-cache-handler.cjs), and on PostgreSQL the
      // fixtures' last expiries arrive just before this test: allow one such render
      let cache: string | null = null;
      for (let attempt = 0; attempt < 4 && cache !== "HIT"; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1_100));
        await get(path);
        cache = (await get(path)).cache;
      }
      expect(cache, path).toBe("HIT");
    }
  });

  it("shows a scheduled article on the front page, its page and the feed at its time, with nobody acting", async () => {
    let slug: string;
    let dueAt: Date;
    if (context.scheduled) {
      ({ slug } = context.scheduled);
      dueAt = new Date(context.scheduled.dueAt);
    } else {
      dueAt = new Date(Date.now() + 15_000);
      slug = await scheduleArticle(SCHEDULED_TITLE, dueAt);
    }
    // cache the pages while the article is still in the future (the sequencer runs this file first)
    const searchForIt = `/search?q=${encodeURIComponent(`"${SCHEDULED_TITLE}"`)}`;
    const startedBeforeDue = Date.now() < dueAt.getTime() - 2_000;
    expect(startedBeforeDue, "the test began after the article was due, so it cannot measure the delay").toBe(true);
    {
      expect((await get("/")).text).not.toContain(escapedInHtml(SCHEDULED_TITLE));
      expect((await get(`/article/${slug}`)).status).toBe(404);
      expect((await get(searchForIt)).text).not.toContain(`href="/article/${slug}"`);
    }
    let shownAt = 0;
    while (Date.now() < dueAt.getTime() + 60_000) {
      if ((await get("/")).text.includes(escapedInHtml(SCHEDULED_TITLE))) {
        shownAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(shownAt, "the front page never showed the scheduled article").toBeGreaterThan(0);
    expect(shownAt - dueAt.getTime()).toBeLessThan(60_000);
    expect((await get("/feed.xml")).text).toContain(SCHEDULED_TITLE);
    expect((await get("/feed.json")).text).toContain(SCHEDULED_TITLE);
    expect((await get(`/article/${slug}`)).status).toBe(200);
    expect((await get("/section/world")).text).toContain(escapedInHtml(SCHEDULED_TITLE));
    expect((await get(searchForIt)).text).toContain(`href="/article/${slug}"`);
  }, 120_000);

  it.runIf(context.databaseUrl)("shows an article published through lib/ in another process at the very next request", async () => {
    // until the front page is served from the cache (a render right after another change is not kept)
    let cache: string | null = null;
    for (let i = 0; i < 10 && cache !== "HIT"; i++) {
      for (const path of ["/", "/feed.xml", "/tag/late-edition"]) await get(path);
      cache = (await get("/")).cache;
      if (cache !== "HIT") await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(cache).toBe("HIT");
    const title = "Harbour lights relit for the winter festival";
    const created = await createArticle(operator, { title, body: docOf("The lamps came back on."), section: "culture", tags: ["Late edition"], status: "published" });
    await invalidateTags(created.touched);
    await new Promise((resolve) => setTimeout(resolve, 300)); // NOTIFY travels through the server
    expect((await get("/")).text).toContain(title);
    expect((await get("/feed.xml")).text).toContain(title);
    expect((await get(`/article/${created.slug}`)).status).toBe(200);
    expect((await get(`/search?q=${encodeURIComponent("harbour lights")}`)).text).toContain(`href="/article/${created.slug}"`);
    expect((await get("/tag/late-edition")).text).toContain(title);
  });
});
