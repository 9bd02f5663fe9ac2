import { randomBytes } from "node:crypto";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema";
import { operator } from "@/lib/auth/permissions";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { databaseThrottle, ThrottleUnavailable, useSignInThrottle, WINDOW_MS, type SignInClaim, type SignInThrottle } from "@/lib/auth/throttle";
import { RedisSignInThrottle } from "@/lib/auth/throttle-redis";
import { createRedisClient } from "@/lib/redis";
import { createStaffAccount } from "@/lib/staff/mutations";
import { failure } from "../../fixtures/builders";
import { redisAnswers, TEST_REDIS_URL } from "../../fixtures/redis";

// The Redis store for sign-in throttling, against the Redis at TEST_REDIS_URL (default
// 127.0.0.1:6379). Without one answering, those tests are skipped, so `npm test` passes on a
// laptop without Redis; the tests of an unreachable Redis run everywhere. Every key this file
// writes is under a prefix of its own, deleted at the end. Claims take explicit times, so windows
// and waits are exact.

const REDIS_URL = TEST_REDIS_URL;
const PREFIX = `test-${process.pid}-${randomBytes(4).toString("hex")}:sign-in:`;

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp) console.warn(`Skipping the Redis sign-in throttle tests: no Redis answers PING at ${REDIS_URL} (set TEST_REDIS_URL to use another).`);

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const T0 = new Date("2031-03-04T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const PASSWORD = "violet-harbour-lamp-42";
const WRONG = "amber-orchard-kite-17";

let sequence = 0;
function fresh(label: string) {
  sequence += 1;
  return { email: `${label}-${sequence}@example.test`, ip: `192.0.2.${sequence}` };
}

/** What a claim answered: the seconds to wait, or "claimed". */
const answer = (claim: SignInClaim) => ("retryAfter" in claim ? claim.retryAfter : "claimed");

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe.skipIf(!redisUp)(`Redis sign-in throttle at ${REDIS_URL}${redisUp ? "" : " — skipped: no Redis answers PING there"}`, () => {
  let redis: Redis;
  let throttle: RedisSignInThrottle;
  const claim = (email: string, ip: string, when: Date) => throttle.claim(email, ip, when).then(answer);

  beforeAll(() => {
    redis = createRedisClient(REDIS_URL);
    throttle = new RedisSignInThrottle(redis, PREFIX);
  });

  afterEach(() => useSignInThrottle(undefined));

  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    expect(await redis.keys(`${PREFIX}*`)).toEqual([]);
    await redis.quit();
  });

  describe("per-account limit: 5 failures in 15 minutes", () => {
    it("allows 5 claims, then refuses for the seconds until the oldest failure is 15 minutes old, without counting refusals", async () => {
      const { email, ip } = fresh("five");
      for (let i = 0; i < 5; i++) expect(await claim(email, ip, at(i * MINUTE))).toBe("claimed");
      expect(await claim(email, ip, at(5 * MINUTE))).toBe(10 * 60);
      expect(await claim(email, ip, at(12 * MINUTE + 30 * SECOND))).toBe(150);
      // rounds up, never below one second while still refused
      expect(await claim(email, ip, at(15 * MINUTE - 1))).toBe(1);
      // once the oldest is 15 minutes old only 4 count (the refusals above were not counted)
      expect(await claim(email, ip, at(15 * MINUTE))).toBe("claimed");
      // now the failures at 1..4 and 15 minutes: free when the one at 1 minute ages out
      expect(await claim(email, ip, at(15 * MINUTE))).toBe(60);
    });

    it("counts an account's failures from every address, and refuses it from a new address too", async () => {
      const { email } = fresh("roaming");
      for (let i = 0; i < 5; i++) expect(await claim(email, `203.0.113.${100 + i}`, at(i * MINUTE))).toBe("claimed");
      expect(await claim(email, "203.0.113.200", at(5 * MINUTE))).toBe(10 * 60);
    });

    it("restarts the account's count after a success", async () => {
      const { email, ip } = fresh("reset");
      for (let i = 0; i < 4; i++) await claim(email, ip, at(i * MINUTE)); // failures at 0..3 min
      const good = await throttle.claim(email, ip, at(4 * MINUTE));
      if ("retryAfter" in good) throw new Error("the 5th claim should be allowed");
      await good.markSucceeded();
      for (let i = 5; i < 10; i++) expect(await claim(email, ip, at(i * MINUTE))).toBe("claimed"); // 5 failures since the success
      // counted from the first failure after the success (5 min), not from the one at 0 min
      expect(await claim(email, ip, at(10 * MINUTE))).toBe(10 * 60);
    });

    it("keeps counting failures claimed after an attempt that then succeeds", async () => {
      const { email, ip } = fresh("overlap");
      const first = await throttle.claim(email, ip, at(0));
      for (let i = 1; i <= 4; i++) await claim(email, ip, at(i * SECOND)); // claimed while the first is being checked
      if ("retryAfter" in first) throw new Error("the first claim should be allowed");
      await first.markSucceeded();
      // only the first attempt's own failure was cleared: 4 later ones remain, so one more is allowed
      expect(await claim(email, ip, at(MINUTE))).toBe("claimed");
      // refused until the failure at 1 s, now the 5th most recent, is 15 minutes old
      expect(await claim(email, ip, at(2 * MINUTE))).toBe(13 * 60 + 1);
    });
  });

  describe("per-address limit: 20 failures in 15 minutes", () => {
    it("refuses an address after 20 failures across accounts, for any account, and only that address", async () => {
      const { ip } = fresh("spray");
      for (let i = 0; i < 20; i++) expect(await claim(`spray-${sequence}-${i}@example.test`, ip, at(i * 10 * SECOND))).toBe("claimed"); // 0..190 s
      expect(await claim("untouched@example.test", ip, at(4 * MINUTE))).toBe(11 * 60);
      // no single account reached its own limit: the same accounts from another address may try
      expect(await claim(`spray-${sequence}-0@example.test`, "198.51.100.250", at(4 * MINUTE))).toBe("claimed");
    });

    it("does not restart the address's count after a success there", async () => {
      const { ip } = fresh("address-reset");
      const good = `good-${sequence}@example.test`;
      for (let i = 0; i < 19; i++) await claim(`guess-${sequence}-${i}@example.test`, ip, at(i * SECOND));
      const success = await throttle.claim(good, ip, at(30 * SECOND));
      if ("retryAfter" in success) throw new Error("the 20th claim should be allowed");
      await success.markSucceeded();
      expect(await claim(`guess-${sequence}-19@example.test`, ip, at(40 * SECOND))).toBe("claimed");
      // 20 failures from the address in the window, one success among them: refused
      expect(await claim("someone-else@example.test", ip, at(MINUTE))).toBe(14 * 60);
      expect(await claim(good, ip, at(MINUTE))).toBe(14 * 60);
      // while that account is free from elsewhere
      expect(await claim(good, "198.51.100.251", at(MINUTE))).toBe("claimed");
    });
  });

  it("answers exactly as the database store does, claim by claim, over two hours of mixed traffic", async () => {
    // a fixed pseudo-random sequence: three accounts, two addresses, successes now and then
    let seed = 20310304;
    const random = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const label = `parity-${++sequence}`;
    const emails = [0, 1, 2].map((n) => `${label}-${n}@example.test`);
    const ips = [`198.18.${sequence}.1`, `198.18.${sequence}.2`];
    const stores: Record<string, SignInThrottle> = { database: databaseThrottle, redis: throttle };
    const answers: Record<string, (number | string)[]> = { database: [], redis: [] };
    let time = 0;
    for (let step = 0; step < 300; step++) {
      time += SECOND + Math.floor(random() * 40 * SECOND); // distinct times: ties would order differently in each store
      const email = emails[Math.floor(random() * emails.length)]!;
      const ip = ips[Math.floor(random() * ips.length)]!;
      const succeeds = random() < 0.15;
      for (const [name, store] of Object.entries(stores)) {
        const claimed = await store.claim(email, ip, at(time));
        answers[name]!.push(answer(claimed));
        if (succeeds && !("retryAfter" in claimed)) await claimed.markSucceeded();
      }
    }
    expect(answers.redis).toEqual(answers.database);
    // the sequence did reach both limits
    expect(answers.database!.filter((a) => a !== "claimed").length).toBeGreaterThan(10);
  });

  describe("atomicity", () => {
    it("of 20 simultaneous claims for one account, allows exactly 5", async () => {
      const { email } = fresh("burst");
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(email, `203.0.113.${i + 1}`, at(0))));
      expect(answers.filter((a) => a === "claimed")).toHaveLength(5);
      expect(answers.filter((a) => a === 15 * 60)).toHaveLength(15);
    });

    it("counts claims from two instances (two connections) together: 30 at once from one address allow exactly 20", async () => {
      const other = createRedisClient(REDIS_URL);
      try {
        const instances = [throttle, new RedisSignInThrottle(other, PREFIX)];
        const { ip } = fresh("two-instances");
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 2]!.claim(`burst-${sequence}-${i}@example.test`, ip, at(0)).then(answer)));
        expect(answers.filter((a) => a === "claimed")).toHaveLength(20);
      } finally {
        await other.quit();
      }
    });
  });

  it("keeps each account's and address's failures in one key under the prefix, expiring a window after the last", async () => {
    const { email, ip } = fresh("keys");
    await claim(email, ip, new Date());
    for (const key of [`${PREFIX}account:${email}`, `${PREFIX}address:${ip}`]) {
      expect(await redis.zcard(key)).toBe(1);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(WINDOW_MS - 10 * SECOND);
      expect(ttl).toBeLessThanOrEqual(WINDOW_MS);
    }
  });

  it("throttles authenticateStaff when it is the store: a right password after 4 failures signs in and restarts the count", async () => {
    useSignInThrottle(throttle);
    const ip = fresh("sign-in").ip;
    const email = `redis-sign-in-${sequence}@example.test`;
    await createStaffAccount(operator, { email, name: `Redis Person ${sequence}`, role: "writer", password: PASSWORD });
    for (let i = 0; i < 4; i++) expect(await authenticateStaff(email, WRONG, ip)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticateStaff(email, PASSWORD, ip)).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) expect(await authenticateStaff(email, WRONG, ip)).toEqual({ ok: false, reason: "invalid" });
    const refused = await authenticateStaff(email, PASSWORD, ip);
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    expect((refused as { retryAfter: number }).retryAfter).toBeGreaterThan(14 * 60);
    expect((refused as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(15 * 60);
    const audit = await (await getDb()).select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.ip, ip));
    expect(audit.map((row) => row.action).filter((action) => action === "staff.sign_in_throttled")).toHaveLength(1);
  });
});

describe("an unreachable Redis", () => {
  let down: Redis;
  let throttle: RedisSignInThrottle;

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation(() => {}); // the client's "redis unreachable" warning
    vi.spyOn(console, "error").mockImplementation(() => {});
    down = createRedisClient(`redis://127.0.0.1:${await closedPort()}`);
    throttle = new RedisSignInThrottle(down, PREFIX);
  });

  afterAll(() => {
    useSignInThrottle(undefined);
    down.disconnect();
    vi.restoreAllMocks();
  });

  it("refuses a claim within a few seconds with ThrottleUnavailable (503) rather than let it through uncounted", async () => {
    const started = Date.now();
    const error = await failure(throttle.claim("nobody@example.test", "192.0.2.250"));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(ThrottleUnavailable);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/cannot be counted/);
  });

  it("makes authenticateStaff answer unavailable, even for the right password, checking no password and auditing nothing", async () => {
    useSignInThrottle(throttle);
    const email = `redis-down-${++sequence}@example.test`;
    const ip = `192.0.2.${200 + (sequence % 50)}`;
    await createStaffAccount(operator, { email, name: `Down Person ${sequence}`, role: "writer", password: PASSWORD });
    expect(await authenticateStaff(email, PASSWORD, ip)).toEqual({ ok: false, reason: "unavailable" });
    expect(await authenticateStaff(email, WRONG, ip)).toEqual({ ok: false, reason: "unavailable" });
    expect(await (await getDb()).select().from(auditLog).where(eq(auditLog.ip, ip))).toEqual([]);
  });
});
