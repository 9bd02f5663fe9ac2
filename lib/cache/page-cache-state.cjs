// This process's page cache state, kept on globalThis: Next loads its cache handler by path
// (next-cache-handler.cjs) while the app's own code is bundled apart from it, and both must see one
// table of tag expiries. Plain CommonJS, for the handler's sake.

/** The state, made on first use: entries by key, and each tag's latest expiry time. */
function pageCacheState() {
  const state = (globalThis.__magazinePageCache ??= { entries: new Map(), tagExpiry: new Map() });
  // bumped by every expiry and clear: the server's response cache (lib/http/response-cache.ts)
  // keeps answers only while it stands still
  state.generation ??= 0;
  return state;
}

/** Expires tags in this process only: what was stored before `at` under any of them is stale. */
function expireLocalTags(tags, at = Date.now()) {
  const state = pageCacheState();
  for (const tag of tags) state.tagExpiry.set(tag, Math.max(at, state.tagExpiry.get(tag) ?? 0));
  state.generation++;
}

module.exports = { pageCacheState, expireLocalTags };
