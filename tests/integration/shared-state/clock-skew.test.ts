import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deleteKeys, redisAnswers, TEST_REDIS_URL, testRedisPrefix } from "../../fixtures/redis";

// Instances' clocks differ. The page cache handler (lib/cache/next-cache-handler.cjs) of this
// process, connected to Redis, against another instance whose clock runs ahead or behind: a copy
// rendered before a change is never served after it, whichever clock stamped which.

const require = createRequire(import.meta.url);
const prefix = testRedisPrefix("clock-skew");
const redisUp = await redisAnswers();

type Entry = { value: unknown; lastModified: number; tags: string[] };
type OtherInstance = {
  write(key: string, entry: Entry): Promise<void>;
  expire(tags: string[], at: number): Promise<void>;
  close(): Promise<void>;
};
type Handler = {
  get(key: string, ctx?: { tags?: string[] }): Promise<{ value: unknown } | null>;
  set(key: string, data: unknown, ctx?: { tags?: string[] }): Promise<void>;
};
type State = { tagExpiry: Map<string, number>; shared?: { close(): Promise<void> } };

const page = (text: string) => ({ kind: "APP_PAGE", html: `<p>${text}</p>`, rscData: Buffer.from(text), headers: {}, status: 200 });
const SKEW_MS = 2_000; // NTP keeps real clocks far closer; the handler allows 5 s

describe.skipIf(!redisUp)("the page cache with another instance's clock ahead or behind", () => {
  let admin: Redis;
  let other: OtherInstance;
  let handler: Handler;
  let state: State;

  /** Waits until this instance has heard of an expiry of `tag` (published through Redis). */
  const heard = (tag: string) => vi.waitFor(() => expect(state.tagExpiry.has(tag)).toBe(true), { timeout: 3_000 });

  beforeAll(async () => {
    process.env.REDIS_URL = TEST_REDIS_URL;
    process.env.REDIS_PREFIX = prefix;
    delete process.env.PAGE_CACHE;
    const Handler = require("../../../lib/cache/next-cache-handler.cjs") as new () => Handler;
    handler = new Handler();
    state = (globalThis as { __magazinePageCache?: State }).__magazinePageCache!;
    const shared = require("../../../lib/cache/shared-page-cache.cjs") as { connectSharedPageCache(url: string, hooks: object): OtherInstance };
    other = shared.connectSharedPageCache(TEST_REDIS_URL, { onExpired: () => {}, onResync: () => {} });
    admin = new Redis(TEST_REDIS_URL);
    // this instance and the other both subscribed to the expiries
    await vi.waitFor(async () => expect(await admin.pubsub("NUMSUB", `${prefix}page-tags-expired`)).toEqual([`${prefix}page-tags-expired`, 2]), { timeout: 5_000 });
  });
  afterAll(async () => {
    await other?.close();
    await state?.shared?.close();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  it("does not serve a copy the other rendered before a change, stamped later by its clock ahead", async () => {
    await other.write("/article/ahead", { value: page("old"), lastModified: Date.now() + SKEW_MS, tags: ["article:ahead"] });
    await other.expire(["article:ahead"], Date.now());
    expect(await handler.get("/article/ahead")).toBeNull();
    // a copy of a page no change has touched is shared as before
    await other.write("/article/untouched", { value: page("fine"), lastModified: Date.now() + SKEW_MS, tags: ["article:untouched"] });
    expect(await handler.get("/article/untouched")).toMatchObject({ value: page("fine") });
  });

  it("expires what it rendered before a change the other made, though the other's clock runs behind", async () => {
    await handler.set("/article/behind", page("old"), { tags: ["article:behind"] });
    expect(await handler.get("/article/behind")).not.toBeNull();
    await other.expire(["article:behind"], Date.now() - SKEW_MS);
    await heard("article:behind");
    expect(await handler.get("/article/behind")).toBeNull();
  });

  it("keeps a copy taken from Redis by its own clock, so a later change expires it", async () => {
    await other.write("/article/taken", { value: page("old"), lastModified: Date.now() + SKEW_MS, tags: ["article:taken"] });
    expect(await handler.get("/article/taken")).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await other.expire(["article:taken"], Date.now());
    await heard("article:taken");
    expect(await handler.get("/article/taken")).toBeNull();
  });
});
