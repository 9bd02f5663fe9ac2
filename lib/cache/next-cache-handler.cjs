// The Next.js cache handler for rendered pages and unstable_cache data: an in-memory LRU whose tag
// expiry table lives on globalThis, so code outside a request (the scheduler, the PostgreSQL
// NOTIFY listener for other processes' writes) can expire tags too. Plain CommonJS: Next loads it
// by path at runtime. Nothing is kept on disk, so a restart never serves a page from before it.

const MAX_ENTRIES = Number(process.env.PAGE_CACHE_MAX_ENTRIES) || 5000;
// PAGE_CACHE=off (lib/env.ts): nothing is stored or served, so every request renders; for measuring
// uncached render times (`npm run bench -- --articles N`), never for production
const DISABLED = process.env.PAGE_CACHE === "off";
const TAGS_HEADER = "x-next-cache-tags";
const RENDER_RACE_MS = 1_000;

const state = (globalThis.__magazinePageCache ??= { entries: new Map(), tagExpiry: new Map() });

function expireTags(tags, at = Date.now()) {
  for (const tag of tags) state.tagExpiry.set(tag, Math.max(at, state.tagExpiry.get(tag) ?? 0));
}
state.expireTags = expireTags;

function entryTags(data, ctx) {
  const header = data?.value?.headers?.[TAGS_HEADER] ?? data?.headers?.[TAGS_HEADER];
  return [...(ctx?.tags ?? []), ...(typeof header === "string" ? header.split(",") : [])];
}

module.exports = class MagazineCacheHandler {
  async get(key, ctx) {
    if (DISABLED) return null;
    const entry = state.entries.get(key);
    if (!entry) return null;
    const tags = [...entry.tags, ...(ctx?.tags ?? []), ...(ctx?.softTags ?? [])];
    if (tags.some((tag) => (state.tagExpiry.get(tag) ?? 0) >= entry.lastModified)) {
      state.entries.delete(key);
      return null;
    }
    state.entries.delete(key); // most recently used goes last
    state.entries.set(key, entry);
    return { value: entry.value, lastModified: entry.lastModified };
  }

  async set(key, data, ctx) {
    if (DISABLED) return;
    if (data === null || data === undefined) {
      state.entries.delete(key);
      return;
    }
    const tags = entryTags({ value: data }, ctx);
    const now = Date.now();
    // a render that began before one of its tags was expired may hold old data: keep it, but stale
    const recentExpiry = Math.max(0, ...tags.map((tag) => state.tagExpiry.get(tag) ?? 0));
    const lastModified = now - recentExpiry < RENDER_RACE_MS ? recentExpiry : now;
    state.entries.delete(key);
    state.entries.set(key, { value: data, lastModified, tags });
    while (state.entries.size > MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value);
  }

  async revalidateTag(tags) {
    expireTags(Array.isArray(tags) ? tags : [tags]);
  }

  resetRequestCache() {}
};
