import type { Redis } from "ioredis";

export function expireSharedTags(client: Redis, tags: string[], at?: number): Promise<void>;
export function encode(value: unknown): string;
export function decode(text: string): unknown;
