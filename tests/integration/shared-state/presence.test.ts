import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDraft } from "@/lib/articles/editing";
import { heartbeat, memoryPresence, PRESENCE_TIMEOUT_MS, redisPresence, usePresenceStore, type PresenceStore } from "@/lib/articles/presence";
import type { StaffSession } from "@/lib/auth/session";
import { failure, makeStaff } from "../../fixtures/builders";
import { deleteKeys, redisAnswers, TEST_REDIS_URL, testRedisPrefix } from "../../fixtures/redis";

// Editor presence behaves the same in memory (one instance) and in Redis (several instances): the
// same scenarios run against both stores. In Redis, two stores on two connections stand for two
// instances; a heartbeat through one is seen through the other.

const redisUp = await redisAnswers();
const PREFIX = testRedisPrefix("presence");

async function staffSession(role: "editor" | "writer", name: string): Promise<StaffSession> {
  const row = await makeStaff(role, name);
  return { id: row.id, name: row.name, email: `${row.slug}@example.test`, role, actor: { kind: "staff", id: row.id, role } };
}

const T0 = Date.UTC(2031, 2, 4, 10);
let clients: Redis[] = [];

const stores: [string, () => [PresenceStore, PresenceStore]][] = [["memory", () => [memoryPresence, memoryPresence]]];
if (redisUp) {
  stores.push([
    "Redis, two instances",
    () => {
      clients = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
      return [redisPresence(clients[0], PREFIX), redisPresence(clients[1], PREFIX)];
    },
  ]);
}

describe.each(stores)("editor presence (%s)", (_label, makeStores) => {
  let first: PresenceStore;
  let second: PresenceStore;
  let alice: StaffSession;
  let bruno: StaffSession;
  let article: string;

  beforeAll(async () => {
    [first, second] = makeStores();
    alice = await staffSession("editor", "Alice Presence");
    bruno = await staffSession("editor", "Bruno Presence");
  });
  afterEach(() => usePresenceStore(undefined));
  afterAll(async () => {
    if (clients.length > 0) {
      await deleteKeys(clients[0]!, PREFIX);
      for (const client of clients) client.disconnect();
      clients = [];
    }
  });

  const through = (store: PresenceStore) => usePresenceStore(store);

  it("shows each editor the other, however many tabs they have open, and forgets a silent tab", async () => {
    ({ id: article } = await createDraft(alice.actor));
    through(first);
    expect(await heartbeat(alice, article, "alice-tab-1", false, T0)).toEqual({ others: [], takenOverBy: null });
    through(second);
    const seenByBruno = await heartbeat(bruno, article, "bruno-tab-1", false, T0 + 1_000);
    expect(seenByBruno.others).toEqual([{ name: "Alice Presence", since: new Date(T0).toISOString() }]);
    await heartbeat(bruno, article, "bruno-tab-2", false, T0 + 2_000);
    through(first);
    expect((await heartbeat(alice, article, "alice-tab-1", false, T0 + 3_000)).others.map((o) => o.name)).toEqual(["Bruno Presence"]);
    // Alice stops; Bruno keeps beating past the timeout
    through(second);
    const later = T0 + 3_000 + PRESENCE_TIMEOUT_MS + 1;
    expect((await heartbeat(bruno, article, "bruno-tab-1", false, later)).others).toEqual([]);
  });

  it("a take-over through one instance turns the other editor's tab read-only", async () => {
    ({ id: article } = await createDraft(alice.actor));
    through(first);
    await heartbeat(alice, article, "alice-tab-1", false, T0);
    through(second);
    await heartbeat(bruno, article, "bruno-tab-1", false, T0 + 500);
    const taken = await heartbeat(bruno, article, "bruno-tab-1", true, T0 + 1_000);
    expect(taken).toEqual({ others: [], takenOverBy: null });
    through(first);
    expect(await heartbeat(alice, article, "alice-tab-1", false, T0 + 2_000)).toEqual({
      others: [{ name: "Bruno Presence", since: new Date(T0 + 500).toISOString() }],
      takenOverBy: "Bruno Presence",
    });
  });

  it("refuses a tab without a proper name and an article the editor may not open", async () => {
    ({ id: article } = await createDraft(alice.actor));
    through(first);
    expect((await failure(heartbeat(alice, article, "x", false, T0))).status).toBe(400);
    const writer = await staffSession("writer", "Wendy Presence");
    expect((await failure(heartbeat(writer, article, "wendy-tab-1", false, T0))).status).toBe(403);
  });
});

describe.skipIf(!redisUp)("presence in Redis", () => {
  it("keeps an article's tabs under the deployment's prefix and lets them expire", async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const alice = await staffSession("editor", "Alice Expiry");
      const { id } = await createDraft(alice.actor);
      usePresenceStore(redisPresence(redis, PREFIX));
      await heartbeat(alice, id, "alice-tab-9", false, Date.now());
      const key = `${PREFIX}presence:${id}`;
      expect(await redis.hkeys(key)).toEqual(["alice-tab-9"]);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(PRESENCE_TIMEOUT_MS);
      expect(ttl).toBeLessThanOrEqual(2 * PRESENCE_TIMEOUT_MS);
    } finally {
      usePresenceStore(undefined);
      await deleteKeys(redis, PREFIX);
      redis.disconnect();
    }
  });
});
