// The page cache shared by every instance through Redis (REDIS_URL set). Each instance keeps its
// in-memory cache (lib/cache/next-cache-handler.cjs) in front of this one:
//   - a rendered page or cached query is also stored in Redis, so an instance that has not rendered
//     it yet serves the copy another instance made;
//   - expiring a tag records the time in one Redis hash (read with every entry taken from Redis, so
//     an old copy is never served) and is published to every instance, which drops its own copies.
// Redis being down never fails a reader's request: reads and writes give up quickly and the instance
// serves from and renders into its own memory. Messages missed while disconnected cannot be
// replayed, so an instance that reconnects empties its memory once.
// Plain CommonJS, like the handler that loads it: Next requires the handler by path at runtime.

const { Redis } = require("ioredis");

const ENTRY_TTL_SECONDS = 24 * 60 * 60; // a page nobody asked for in a day is not worth keeping
// A tag's expiry time only matters to entries made before it, and every such entry has left Redis a
// day after it was stored (a render takes seconds): an hour's margin on top, then the time can go.
const TAG_TIME_KEPT_MS = (ENTRY_TTL_SECONDS + 60 * 60) * 1000;
const COMMAND_TIMEOUT_MS = 500; // a reader would rather wait for a render than for a stuck Redis

// KEYS: the tag-expiry hash. ARGV: time in ms, channel, then the tags. Keeps the latest time per tag
// and tells every instance. One script, so concurrent expiries never move a tag's time backwards.
const EXPIRE = `
local at = tonumber(ARGV[1])
for i = 3, #ARGV do
  local known = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if at > known then redis.call('HSET', KEYS[1], ARGV[i], ARGV[1]) end
end
redis.call('PUBLISH', ARGV[2], cjson.encode({ at = at, tags = { unpack(ARGV, 3) } }))
return 1
`;

// KEYS: the tag-expiry hash. ARGV: the cutoff in ms, then fields read as older. Each is checked again
// here, so a tag expired again since it was read keeps its new time.
const PRUNE = `
local removed = 0
for i = 2, #ARGV do
  local known = redis.call('HGET', KEYS[1], ARGV[i])
  if known and tonumber(known) < tonumber(ARGV[1]) then removed = removed + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return removed
`;

/** Key names under the deployment's prefix (REDIS_PREFIX), so magazines or test runs sharing a Redis never mix. */
function keysFor(prefix) {
  return { entry: (key) => `${prefix}page:${key}`, tagExpiry: `${prefix}page-tags`, channel: `${prefix}page-tags-expired` };
}

function redisPrefix() {
  return process.env.REDIS_PREFIX || "magazine:";
}

/** Expires tags for every instance: records the time and publishes it. Used by the handler and by lib/cache/invalidate.ts. */
async function expireSharedTags(client, tags, at = Date.now()) {
  if (tags.length === 0) return;
  const keys = keysFor(redisPrefix());
  await client.eval(EXPIRE, 1, keys.tagExpiry, String(at), keys.channel, ...tags);
}

/**
 * Forgets tag expiry times older than `cutoff` (ms), so the hash does not grow with every article
 * ever changed. Several instances may prune at once: deleting is conditional (PRUNE). Returns how
 * many times were removed.
 */
async function pruneSharedTags(client, cutoff) {
  const keys = keysFor(redisPrefix());
  let cursor = "0";
  let removed = 0;
  do {
    const [next, flat] = await client.hscan(keys.tagExpiry, cursor, "COUNT", 1000);
    cursor = next;
    const old = [];
    for (let i = 0; i < flat.length; i += 2) if (Number(flat[i + 1]) < cutoff) old.push(flat[i]);
    if (old.length > 0) removed += await client.eval(PRUNE, 1, keys.tagExpiry, String(cutoff), ...old);
  } while (cursor !== "0");
  return removed;
}

// Rendered values hold Buffers (RSC payloads, route bodies) and Maps (segment data): JSON keeps both.
function encode(value) {
  return JSON.stringify(value, function replace(key, plain) {
    const raw = this[key];
    if (raw instanceof Uint8Array) return { $buffer: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64") };
    if (raw instanceof Map) return { $map: [...raw.entries()] };
    return plain;
  });
}

function decode(text) {
  return JSON.parse(text, (key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (typeof value.$buffer === "string") return Buffer.from(value.$buffer, "base64");
      if (Array.isArray(value.$map)) return new Map(value.$map);
    }
    return value;
  });
}

/**
 * Connects this instance to the shared cache. `onExpired(tags, at)` applies other instances' expiries
 * to the local cache; `onResync()` runs after a reconnection, when messages may have been missed.
 */
function connectSharedPageCache(url, { onExpired, onResync }) {
  const keys = keysFor(redisPrefix());
  const options = { connectTimeout: 2_000, commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: (n) => Math.min(n * 250, 5_000) };
  const client = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, commandTimeout: undefined, enableOfflineQueue: true });
  let down = false;
  const warn = (error) => {
    if (!down) console.error(JSON.stringify({ level: "warn", msg: "shared page cache unreachable; serving from this instance's memory", error: error.message }));
    down = true;
  };
  client.on("error", warn);
  subscriber.on("error", warn);
  client.on("ready", () => (down = false));

  let subscribedBefore = false;
  subscriber.on("ready", () => {
    subscriber.subscribe(keys.channel).then(
      () => {
        if (subscribedBefore) onResync();
        subscribedBefore = true;
      },
      (error) => warn(error),
    );
  });
  subscriber.on("message", (_channel, message) => {
    try {
      const { at, tags } = JSON.parse(message);
      if (Array.isArray(tags) && typeof at === "number") onExpired(tags, at);
    } catch {
      // not ours
    }
  });

  return {
    /**
     * An entry stored by any instance, with the latest expiry time of each of its tags and of
     * `requestTags` (the request's own and implicit tags); null when absent or Redis is unreachable.
     */
    async read(key, requestTags) {
      try {
        const text = await client.get(keys.entry(key));
        if (!text) return null;
        const entry = decode(text);
        const tags = [...new Set([...(entry.tags ?? []), ...requestTags])];
        const times = tags.length > 0 ? await client.hmget(keys.tagExpiry, ...tags) : [];
        return { entry, tagExpiry: new Map(tags.map((tag, i) => [tag, Number(times[i] ?? 0)])) };
      } catch {
        return null;
      }
    },
    async write(key, entry) {
      try {
        await client.set(keys.entry(key), encode(entry), "EX", ENTRY_TTL_SECONDS);
      } catch {
        // this instance keeps its own copy
      }
    },
    async remove(key) {
      await client.del(keys.entry(key)).catch(() => {});
    },
    async expire(tags, at) {
      try {
        await expireSharedTags(client, tags, at);
      } catch (error) {
        warn(error);
      }
    },
    /** Forgets tag times older than `cutoff`; 0 when Redis is unreachable (the next round tries again). */
    async prune(cutoff) {
      try {
        return await pruneSharedTags(client, cutoff);
      } catch (error) {
        warn(error);
        return 0;
      }
    },
    async close() {
      client.disconnect();
      subscriber.disconnect();
    },
  };
}

module.exports = { connectSharedPageCache, expireSharedTags, pruneSharedTags, encode, decode, TAG_TIME_KEPT_MS };
