import type { Redis } from "ioredis";

export function expireSharedTags(client: Redis, tags: string[], at?: number): Promise<void>;
export function pruneSharedTags(client: Redis, cutoff: number): Promise<number>;
export const TAG_TIME_KEPT_MS: number;
export function encode(value: unknown): string;
export function decode(text: string): unknown;
