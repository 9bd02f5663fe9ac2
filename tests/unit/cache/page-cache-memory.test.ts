import { createRequire } from "node:module";
import { beforeEach, describe, expect, it } from "vitest";

// The page cache's own memory (lib/cache/next-cache-handler.cjs without Redis): bounded by
// PAGE_CACHE_MAX_MB, least recently used pages leave first, and expired or cleared entries give
// their bytes back, so a long-running server's memory stays flat however many pages readers visit.

delete process.env.REDIS_URL;
delete process.env.PAGE_CACHE;
process.env.PAGE_CACHE_MAX_MB = "1";
const require = createRequire(import.meta.url);
type Handler = {
  get(key: string, ctx?: { tags?: string[] }): Promise<{ value: unknown } | null>;
  set(key: string, data: unknown, ctx?: { tags?: string[] }): Promise<void>;
  revalidateTag(tags: string | string[]): Promise<void>;
};
const Handler = require("../../../lib/cache/next-cache-handler.cjs") as new () => Handler;
const state = (globalThis as { __magazinePageCache?: { entries: Map<string, unknown>; tagExpiry: Map<string, number>; bytes: number; clear(): void; prune(now?: number): Promise<void> } }).__magazinePageCache!;
const { TAG_TIME_KEPT_MS } = require("../../../lib/cache/shared-page-cache.cjs") as { TAG_TIME_KEPT_MS: number };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A rendered page of about `kb` kilobytes (HTML and RSC payload, as Next stores them). */
const page = (kb: number) => ({ kind: "APP_PAGE", html: "x".repeat(kb * 512), rscData: Buffer.alloc(kb * 512), segmentData: new Map(), headers: {}, status: 200 });

describe("page cache memory", () => {
  const handler = new Handler();
  beforeEach(() => state.clear());

  it("keeps pages until their bytes pass the budget, then lets the least recently used go", async () => {
    for (let i = 0; i < 9; i++) await handler.set(`/article/${i}`, page(100), { tags: [`article:${i}`] });
    expect(state.entries.size).toBe(9);
    await handler.get("/article/0"); // read again: now the most recently used
    for (let i = 9; i < 12; i++) await handler.set(`/article/${i}`, page(100), { tags: [`article:${i}`] });

    expect(state.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(state.bytes).toBeGreaterThan(900 * 1024);
    expect(await handler.get("/article/0")).not.toBeNull();
    expect(await handler.get("/article/1")).toBeNull();
    expect(await handler.get("/article/11")).not.toBeNull();
  });

  it("counts a page once however often it is stored again", async () => {
    for (let i = 0; i < 20; i++) await handler.set("/", page(200), { tags: ["front-page"] });
    expect(state.entries.size).toBe(1);
    expect(state.bytes).toBeGreaterThan(200 * 1024);
    expect(state.bytes).toBeLessThan(220 * 1024);
  });

  it("gives back the bytes of a page whose tag expired, and of everything when cleared", async () => {
    await handler.set("/article/a", page(100), { tags: ["article:a"] });
    await handler.set("/article/b", page(100), { tags: ["article:b"] });
    const both = state.bytes;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await handler.revalidateTag("article:a");
    expect(await handler.get("/article/a")).toBeNull();
    expect(state.bytes).toBeLessThan(both * 0.6);
    state.clear();
    expect(state.bytes).toBe(0);
    expect(await handler.get("/article/b")).toBeNull();
  });

  it("forgets tag expiry times older than a day and an hour, and first the pages made before them", async () => {
    state.tagExpiry.clear();
    await handler.set("/article/old", page(100), { tags: ["article:old"] });
    await tick();
    await handler.revalidateTag(["article:gone", "article:old"]);
    await tick();
    const between = Date.now();
    await tick();
    await handler.set("/article/new", page(100), { tags: ["article:new"] });
    await handler.revalidateTag("article:kept");
    await state.prune(between + TAG_TIME_KEPT_MS);
    expect([...state.tagExpiry.keys()]).toEqual(["article:kept"]);
    expect([...state.entries.keys()]).toEqual(["/article/new"]);
    expect(state.bytes).toBeGreaterThan(100 * 1024);
    expect(state.bytes).toBeLessThan(110 * 1024);
    expect(await handler.get("/article/new")).not.toBeNull();
  });
});
