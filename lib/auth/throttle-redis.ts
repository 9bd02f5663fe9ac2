import "server-only";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { getEnv } from "@/lib/env";
import { logError } from "@/lib/log";
import { getRedis } from "@/lib/redis";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, retryAfterSeconds, ThrottleUnavailable, WINDOW_MS, type SignInClaim, type SignInThrottle } from "./throttle";

// Sign-in throttling in Redis (REDIS_URL set): the same limits and answers as the database store,
// kept as one sorted set of failures per account and one per address (member: an attempt id, score:
// its time in ms). A claim and a success are each one Lua script, which Redis runs alone, so claims
// from every instance at once are counted exactly. Keys expire a window after their last failure.

// KEYS: account set, address set. ARGV: now, window, account limit, address limit, attempt id.
// Drops failures older than the window, then either refuses, answering the latest failures of each
// set (up to its limit, with scores), or records the attempt in both sets.
const CLAIM = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local limits = { tonumber(ARGV[3]), tonumber(ARGV[4]) }
local recent, refused = {}, false
for i = 1, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  recent[i] = redis.call('ZRANGE', KEYS[i], -limits[i], -1, 'WITHSCORES')
  if #recent[i] >= 2 * limits[i] then refused = true end
end
if refused then return { 1, recent[1], recent[2] } end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], ARGV[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[i], window)
end
return { 0 }
`;

// KEYS: account set, address set. ARGV: attempt id. The account's count restarts after this attempt
// (it and every earlier failure go); the address keeps its other failures, only this one was not.
const SUCCEED = `
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if rank then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, rank) end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;

const scoresOf = (withScores: string[]) => withScores.filter((_, i) => i % 2 === 1).map(Number);

export class RedisSignInThrottle implements SignInThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = "magazine:sign-in:",
  ) {}

  async claim(email: string, ip: string, now = new Date()): Promise<SignInClaim> {
    const keys = [`${this.keyPrefix}account:${email}`, `${this.keyPrefix}address:${ip}`];
    const attemptId = randomBytes(12).toString("base64url");
    const [refused, account, address] = (await this.run(CLAIM, keys, [now.getTime(), WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, attemptId])) as [number, string[]?, string[]?];
    if (refused === 1) return { retryAfter: retryAfterSeconds(scoresOf(account!), scoresOf(address!), now.getTime()) };
    return { markSucceeded: async () => void (await this.run(SUCCEED, keys, [attemptId])) };
  }

  /** Runs a script; a Redis that is down or too slow refuses the sign-in rather than skip the count. */
  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.eval(script, keys.length, ...keys, ...args);
    } catch (error) {
      logError("sign-in throttle: redis failed", error);
      throw new ThrottleUnavailable(error);
    }
  }
}

export function sharedRedisThrottle(): SignInThrottle {
  return new RedisSignInThrottle(getRedis(), `${getEnv().REDIS_PREFIX}sign-in:`);
}
