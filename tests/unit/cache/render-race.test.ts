import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// A page rendered from data read before one of its tags expired must never be stored as fresh,
// however long the render took (lib/cache/next-cache-handler.cjs stamps it with the time of its miss).

delete process.env.REDIS_URL;
delete process.env.PAGE_CACHE;
const require = createRequire(import.meta.url);
type Handler = {
  get(key: string, ctx?: { tags?: string[] }): Promise<{ value: unknown } | null>;
  set(key: string, data: unknown, ctx?: { tags?: string[] }): Promise<void>;
  revalidateTag(tags: string | string[]): Promise<void>;
};
const Handler = require("../../../lib/cache/next-cache-handler.cjs") as new () => Handler;
const state = (globalThis as { __magazinePageCache?: { clear(): void; missedAt: Map<string, number> } }).__magazinePageCache!;
const page = (text: string) => ({ kind: "APP_PAGE", html: text, rscData: Buffer.from(text), segmentData: new Map(), headers: {}, status: 200 });

describe("a render racing an expiry", () => {
  const handler = new Handler();
  let now = Date.parse("2026-11-26T12:00:00Z");
  const advance = (ms: number) => vi.setSystemTime((now += ms));
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(now);
    state.clear();
    state.missedAt.clear();
  });
  afterEach(() => vi.useRealTimers());

  it("keeps a slow render that began before a publish as stale, not fresh", async () => {
    expect(await handler.get("/article/a", { tags: ["article:a"] })).toBeNull(); // the render begins
    advance(50);
    await handler.revalidateTag("article:a"); // a publish while it renders
    advance(3_000); // a slow render: long past the one-second grace for races
    await handler.set("/article/a", page("old text"), { tags: ["article:a"] });
    expect(await handler.get("/article/a", { tags: ["article:a"] })).toBeNull();
    // the render after the publish is stored fresh
    advance(10);
    await handler.set("/article/a", page("new text"), { tags: ["article:a"] });
    expect(await handler.get("/article/a", { tags: ["article:a"] })).toMatchObject({ value: { html: "new text" } });
  });

  it("dates two overlapping renders of one page by the first miss", async () => {
    await handler.get("/", { tags: ["front-page"] }); // render A reads the old front page
    advance(50);
    await handler.revalidateTag("front-page");
    advance(20);
    await handler.get("/", { tags: ["front-page"] }); // render B begins: it must not re-date A
    advance(2_000);
    await handler.set("/", page("A: old"), { tags: ["front-page"] });
    expect(await handler.get("/", { tags: ["front-page"] })).toBeNull();
  });

  it("stores a page fresh when nothing expired while it rendered", async () => {
    await handler.get("/tag/x", { tags: ["tag:x"] });
    advance(5_000);
    await handler.set("/tag/x", page("x"), { tags: ["tag:x"] });
    expect(await handler.get("/tag/x", { tags: ["tag:x"] })).not.toBeNull();
  });
});
