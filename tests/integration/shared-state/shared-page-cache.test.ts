import { createRequire } from "node:module";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deleteKeys, redisAnswers, TEST_REDIS_URL, testRedisPrefix } from "../../fixtures/redis";

// The Redis layer of the page cache (lib/cache/shared-page-cache.cjs), as two instances use it: what
// one stores the other reads, a tag expired by one reaches the other at once (published) and is
// also recorded, so an instance that missed the message still refuses the old copy. The cache
// handler itself is exercised by two real servers in tests/e2e/instances.spec.ts.

const require = createRequire(import.meta.url);
const prefix = testRedisPrefix("page-cache");
process.env.REDIS_PREFIX = prefix;
const shared = require("../../../lib/cache/shared-page-cache.cjs") as typeof import("../../../lib/cache/shared-page-cache.cjs") & {
  connectSharedPageCache(url: string, hooks: { onExpired(tags: string[], at: number): void; onResync(): void }): SharedCache;
};

type Stored = { value: unknown; lastModified: number; tags: string[] };
type SharedCache = {
  read(key: string, requestTags: string[]): Promise<{ entry: Stored; tagExpiry: Map<string, number> } | null>;
  write(key: string, entry: Stored): Promise<void>;
  remove(key: string): Promise<void>;
  expire(tags: string[], at: number): Promise<void>;
  prune(cutoff: number): Promise<number>;
  close(): Promise<void>;
};

const redisUp = await redisAnswers();

describe("page cache values through JSON", () => {
  it("keep Buffers and Maps (RSC payloads, segment data) byte for byte", () => {
    const value = {
      kind: "APP_PAGE",
      html: "<p>été</p>",
      rscData: Buffer.from([0, 1, 2, 250, 255]),
      segmentData: new Map([["/_tree", Buffer.from("tree")]]),
      headers: { "x-next-cache-tags": "article:a,front-page" },
      status: 200,
      postponed: undefined,
    };
    const back = shared.decode(shared.encode(value)) as typeof value;
    expect(back.rscData).toEqual(value.rscData);
    expect(Buffer.isBuffer(back.rscData)).toBe(true);
    expect(back.segmentData).toBeInstanceOf(Map);
    expect(back.segmentData.get("/_tree")).toEqual(Buffer.from("tree"));
    expect(back.html).toBe(value.html);
    expect(back.headers).toEqual(value.headers);
  });
});

describe.skipIf(!redisUp)("the shared page cache in Redis, seen from two instances", () => {
  let admin: Redis;
  let one: SharedCache;
  let two: SharedCache;
  const expiredAtTwo: [string[], number][] = [];

  beforeAll(async () => {
    admin = new Redis(TEST_REDIS_URL);
    one = shared.connectSharedPageCache(TEST_REDIS_URL, { onExpired: () => {}, onResync: () => {} });
    two = shared.connectSharedPageCache(TEST_REDIS_URL, { onExpired: (tags, at) => expiredAtTwo.push([tags, at]), onResync: () => {} });
    // both connected and subscribed
    await vi.waitFor(async () => expect(await admin.pubsub("NUMSUB", `${prefix}page-tags-expired`)).toEqual([`${prefix}page-tags-expired`, 2]), { timeout: 5_000 });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  it("serves what one instance rendered to the other, with its tags' expiry times", async () => {
    const entry = { value: { kind: "APP_PAGE", rscData: Buffer.from("payload") }, lastModified: 1_000, tags: ["article:x", "front-page"] };
    await one.write("/article/x", entry);
    const found = await two.read("/article/x", ["_N_T_/layout"]);
    expect(found?.entry.lastModified).toBe(1_000);
    expect((found?.entry.value as { rscData: Buffer }).rscData.toString()).toBe("payload");
    expect(found?.tagExpiry).toEqual(new Map([["article:x", 0], ["front-page", 0], ["_N_T_/layout", 0]]));
    expect(await two.read("/never-rendered", [])).toBeNull();
  });

  it("an expiry by one instance reaches the other and is recorded for later reads, never moving back", async () => {
    await one.write("/article/y", { value: { kind: "APP_PAGE" }, lastModified: 2_000, tags: ["article:y"] });
    await one.expire(["article:y", "feed"], 5_000);
    await vi.waitFor(() => expect(expiredAtTwo).toContainEqual([["article:y", "feed"], 5_000]), { timeout: 2_000 });
    await one.expire(["article:y"], 4_000); // a late, older expiry
    const found = await two.read("/article/y", ["feed"]);
    expect(found?.tagExpiry.get("article:y")).toBe(5_000);
    expect(found?.tagExpiry.get("feed")).toBe(5_000);
    expect(await admin.ttl(`${prefix}page:/article/y`)).toBeGreaterThan(3_600);
  });

  it("forgets tag times older than the cutoff, in batches of the hash, and keeps newer ones", async () => {
    const hash = `${prefix}page-tags`;
    await admin.del(hash);
    const old = Array.from({ length: 2_500 }, (_, i) => `article:old-${i}`);
    await one.expire(old, 1_000);
    await one.expire(["article:recent", "front-page"], 9_000);
    expect(await one.prune(5_000)).toBe(2_500);
    expect((await admin.hkeys(hash)).sort()).toEqual(["article:recent", "front-page"]);
    expect(await one.prune(5_000)).toBe(0);
    // a tag expired long ago and again lately keeps its latest time
    await one.expire(["article:again"], 1_000);
    await two.expire(["article:again"], 8_000);
    expect(await shared.pruneSharedTags(admin, 5_000)).toBe(0);
    expect(await admin.hget(hash, "article:again")).toBe("8000");
  });

  it("a removed entry is gone for every instance", async () => {
    await one.write("/gone", { value: {}, lastModified: 1, tags: [] });
    await two.remove("/gone");
    expect(await one.read("/gone", [])).toBeNull();
  });
});

describe("the shared page cache with Redis unreachable", () => {
  it("reads nothing and accepts writes and expiries without failing the request", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const down = shared.connectSharedPageCache("redis://127.0.0.1:1", { onExpired: () => {}, onResync: () => {} });
    try {
      const started = Date.now();
      await down.write("/a", { value: {}, lastModified: 1, tags: ["t"] });
      await down.expire(["t"], 2);
      expect(await down.read("/a", [])).toBeNull();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await down.close();
      errors.mockRestore();
    }
  });
});
