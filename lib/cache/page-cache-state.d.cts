export type PageCacheState = { entries: Map<string, unknown>; tagExpiry: Map<string, number>; generation: number; clear?: () => void };

export function pageCacheState(): PageCacheState;
export function expireLocalTags(tags: string[], at?: number): void;
