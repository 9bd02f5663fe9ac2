// The editor's copies of unsaved work in this browser (localStorage), one per open editor tab, so
// that no tab overwrites or deletes another's: a tab writes its own copy on every change and removes
// only its own once the server has it. A copy left behind (a closed tab, a crash, a take-over) is
// offered back the next time the article is opened.

export type LocalCopy<F> = { key: string; baseVersion: number; keptAt: string; fields: F; body: unknown };

const PREFIX = "magazine:article:";

// `magazine:article:<id>` alone is the key before copies were kept per tab; still read, so a copy
// kept by an older editor is offered too
const keyFor = (articleId: string, tabId: string) => `${PREFIX}${articleId}:${tabId}`;
const belongsTo = (key: string, articleId: string) => key === `${PREFIX}${articleId}` || key.startsWith(`${PREFIX}${articleId}:`);

/** Keeps this tab's copy; false when the browser refuses (storage full or disabled). */
export function keepCopy<F>(articleId: string, tabId: string, copy: Omit<LocalCopy<F>, "key">): boolean {
  try {
    window.localStorage.setItem(keyFor(articleId, tabId), JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

export function dropCopy(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // storage disabled: nothing was kept
  }
}

export function dropOwnCopy(articleId: string, tabId: string): void {
  dropCopy(keyFor(articleId, tabId));
}

/** Every copy of this article in this browser except this tab's own, newest first. */
export function copiesLeftBehind<F>(articleId: string, tabId: string): LocalCopy<F>[] {
  const copies: LocalCopy<F>[] = [];
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (!key || !belongsTo(key, articleId) || key === keyFor(articleId, tabId)) continue;
      try {
        copies.push({ ...(JSON.parse(window.localStorage.getItem(key) ?? "") as Omit<LocalCopy<F>, "key">), key });
      } catch {
        // unreadable: not ours to judge, left alone
      }
    }
  } catch {
    return [];
  }
  return copies.sort((a, b) => b.keptAt.localeCompare(a.keptAt));
}

/**
 * JSON with object keys sorted: the same document compares equal however its keys were ordered
 * (the database's jsonb reorders them, so a plain JSON.stringify comparison would see a change).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}
