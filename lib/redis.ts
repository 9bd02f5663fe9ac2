import "server-only";
import { Redis } from "ioredis";
import { getEnv } from "@/lib/env";
import { logInfo, logWarn } from "@/lib/log";

// The Redis in REDIS_URL, shared by every instance (sign-in throttling so far). One connection per
// process, made on first use. A Redis that is down must fail a request within seconds, not hold it:
// every command gives up after COMMAND_TIMEOUT_MS, including while it waits for a connection, and
// each is retried at most once. The offline queue stays on so the first command after start waits
// for the first connection instead of failing; the client keeps reconnecting in the background.

const COMMAND_TIMEOUT_MS = 2_000;

export function createRedisClient(url: string): Redis {
  const client = new Redis(url, {
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
  // one line when Redis goes away and one when it is back, not one per reconnection attempt
  let down = false;
  client.on("error", (error: Error) => {
    if (!down) logWarn("redis unreachable", { error: error.message });
    down = true;
  });
  client.on("ready", () => {
    if (down) logInfo("redis reachable again");
    down = false;
  });
  return client;
}

// on globalThis, like the database: Next.js loads this module once per bundle (pages, route handlers)
const store = globalThis as { __magazineRedis?: Redis };

/** The shared client; only for code that runs when REDIS_URL is set. */
export function getRedis(): Redis {
  const url = getEnv().REDIS_URL;
  if (!url) throw new Error("REDIS_URL is not set");
  store.__magazineRedis ??= createRedisClient(url);
  return store.__magazineRedis;
}
