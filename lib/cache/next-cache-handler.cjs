// The Next.js cache handler for rendered pages and unstable_cache data: an in-memory LRU whose tag
// expiry table lives on globalThis, so code outside a request (the scheduler, the PostgreSQL
// NOTIFY listener for other processes' writes) can expire tags too. With REDIS_URL set, Redis
// stands behind the memory and is shared by every instance (lib/cache/shared-page-cache.cjs).
// Plain CommonJS: Next loads it by path at runtime. Nothing is kept on disk, so a restart never
// serves a page from before it (Redis entries are checked against the shared tag times).

const { expireLocalTags, pageCacheState } = require("./page-cache-state.cjs");
const { connectSharedPageCache, TAG_TIME_KEPT_MS } = require("./shared-page-cache.cjs");

// a memory budget, not a count: an article page is ~100 kB of HTML and RSC payload, a query result
// a few hundred bytes, so a count would bound neither the memory nor the hit rate
const MAX_BYTES = (Number(process.env.PAGE_CACHE_MAX_MB) || 128) * 1024 * 1024;
// PAGE_CACHE=off (lib/env.ts): nothing is stored or served, so every request renders; for measuring
// uncached render times (`npm run bench -- --articles N`), never for production
const DISABLED = process.env.PAGE_CACHE === "off";
const TAGS_HEADER = "x-next-cache-tags";
const RENDER_RACE_MS = 1_000;
// when each key missed: a render that follows began then, so its data is as old as that. No render
// takes a minute; an older miss was a render that failed.
const MISSES_KEPT = 10_000;
const RENDER_LIMIT_MS = 60_000;
// Instances' clocks differ (NTP keeps them within milliseconds; the README asks for it). A copy
// another instance stored in Redis carries that instance's clock, and the tag times there are the
// expiring instance's: such a copy is trusted only when it is newer than the expiry by this margin
// as well, and otherwise rendered again here. Other instances' expiries reaching this one are
// recorded at arrival, by this clock, which every entry in memory was stamped with.
const CLOCK_SKEW_MS = 5_000;

const state = pageCacheState();
state.bytes ??= 0;
state.missedAt ??= new Map();
/** Empties this process's memory (after a missed notification: lib/cache/listener.ts, or a Redis reconnect). */
state.clear = () => {
  state.entries.clear();
  state.bytes = 0;
  state.generation++;
};

/**
 * Forgets tag expiry times older than TAG_TIME_KEPT_MS, here and in Redis, so neither grows with
 * every article ever changed. An entry older than the cutoff could be one of those times' only
 * guard, so it leaves memory first (Redis drops its own copies by then: shared-page-cache.cjs).
 */
state.prune = async (now = Date.now()) => {
  const cutoff = now - TAG_TIME_KEPT_MS;
  for (const [key, entry] of state.entries) if (entry.lastModified < cutoff) forget(key);
  for (const [tag, at] of state.tagExpiry) if (at < cutoff) state.tagExpiry.delete(tag);
  await state.shared?.prune(cutoff);
};
if (!DISABLED && process.env.NEXT_PHASE !== "phase-production-build") {
  state.pruneTimer ??= setInterval(() => void state.prune(), 60 * 60 * 1000).unref();
}

// one connection pair per process, however many times Next constructs the handler
if (process.env.REDIS_URL && process.env.NEXT_PHASE !== "phase-production-build") {
  state.shared ??= connectSharedPageCache(process.env.REDIS_URL, {
    onExpired: (tags) => expireLocalTags(tags),
    onResync: () => state.clear(),
  });
}

function entryTags(data, ctx) {
  const header = data?.value?.headers?.[TAGS_HEADER] ?? data?.headers?.[TAGS_HEADER];
  return [...(ctx?.tags ?? []), ...(typeof header === "string" ? header.split(",") : [])];
}

const expiredSince = (tags, lastModified, times) => tags.some((tag) => Math.max(times?.get(tag) ?? 0, state.tagExpiry.get(tag) ?? 0) >= lastModified);

/** Roughly what a cached value holds in memory: its strings and buffers (HTML, RSC payload, segments, JSON). */
function sizeOf(value, depth = 0) {
  if (typeof value === "string") return value.length;
  if (value === null || typeof value !== "object" || depth > 4) return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let bytes = 64;
  for (const item of value instanceof Map ? value.values() : Object.values(value)) bytes += sizeOf(item, depth + 1);
  return bytes;
}

function forget(key) {
  const entry = state.entries.get(key);
  if (!entry) return;
  state.entries.delete(key);
  state.bytes -= entry.bytes;
}

function remember(key, entry) {
  entry.bytes ??= sizeOf(entry.value) + 256;
  forget(key); // most recently used goes last
  state.entries.set(key, entry);
  state.bytes += entry.bytes;
  while (state.bytes > MAX_BYTES && state.entries.size > 1) forget(state.entries.keys().next().value);
}

function noteMiss(key) {
  const now = Date.now();
  const earlier = state.missedAt.get(key);
  // the earliest miss still rendering wins: of two renders of one page, the older read decides
  if (earlier !== undefined && now - earlier <= RENDER_LIMIT_MS) return null;
  // a bounded record: keys that miss and are never stored (a failed render) must not pile up
  if (state.missedAt.size >= MISSES_KEPT) state.missedAt.clear();
  state.missedAt.set(key, now);
  return null;
}

module.exports = class MagazineCacheHandler {
  async get(key, ctx) {
    if (DISABLED) return null;
    return (await this.lookup(key, ctx)) ?? noteMiss(key);
  }

  async lookup(key, ctx) {
    const requestTags = [...(ctx?.tags ?? []), ...(ctx?.softTags ?? [])];
    const entry = state.entries.get(key);
    if (entry) {
      if (expiredSince([...entry.tags, ...requestTags], entry.lastModified)) {
        forget(key);
        return null;
      }
      remember(key, entry);
      return { value: entry.value, lastModified: entry.lastModified, cacheControl: entry.cacheControl };
    }
    if (!state.shared) return null;
    const found = await state.shared.read(key, requestTags);
    if (!found) return null;
    const { entry: shared, tagExpiry } = found;
    if (expiredSince([...shared.tags, ...requestTags], shared.lastModified - CLOCK_SKEW_MS, tagExpiry)) return null;
    // kept in memory by this clock: every expiry from now on is recorded later than now (CLOCK_SKEW_MS)
    const local = { ...shared, lastModified: Math.min(shared.lastModified, Date.now()) };
    remember(key, local);
    // its lifetime, so an instance that did not render the page does not take it for stale at once
    return { value: local.value, lastModified: local.lastModified, cacheControl: local.cacheControl };
  }

  async set(key, data, ctx) {
    if (DISABLED) return;
    if (data === null || data === undefined) {
      forget(key);
      await state.shared?.remove(key);
      return;
    }
    const tags = entryTags({ value: data }, ctx);
    const now = Date.now();
    // The data is as old as the render, which began at the miss (or, without one on record, within
    // RENDER_RACE_MS of a recent expiry): stamped so, a tag expired while it rendered — however
    // long that took — leaves it stale, never fresh with old data.
    const missedAt = state.missedAt.get(key);
    state.missedAt.delete(key);
    const renderStart = missedAt !== undefined && now - missedAt <= RENDER_LIMIT_MS ? missedAt : now;
    const recentExpiry = Math.max(0, ...tags.map((tag) => state.tagExpiry.get(tag) ?? 0));
    const lastModified = Math.min(renderStart, now - recentExpiry < RENDER_RACE_MS ? recentExpiry : now);
    const entry = { value: data, lastModified, tags, cacheControl: ctx?.cacheControl };
    remember(key, entry);
    await state.shared?.write(key, entry);
  }

  async revalidateTag(tags) {
    const list = Array.isArray(tags) ? tags : [tags];
    const at = Date.now();
    expireLocalTags(list, at);
    await state.shared?.expire(list, at);
  }

  resetRequestCache() {}
};
