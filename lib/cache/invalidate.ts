import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDatabase, type Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logWarn } from "@/lib/log";
import { getRedis } from "@/lib/redis";
import { expireLocalTags } from "./page-cache-state.cjs";
import { expireSharedTags } from "./shared-page-cache.cjs";

export const INVALIDATION_CHANNEL = "magazine_cache";
/** Identifies this process in notifications, so it does not re-apply its own. */
export const processOrigin = randomUUID();

type Executor = Pick<Db, "execute">;

async function notify(executor: Executor, tags: string[]): Promise<void> {
  // NOTIFY payloads are limited to 8000 bytes: send tags in batches
  for (let i = 0; i < tags.length; i += 100) {
    const payload = JSON.stringify({ origin: processOrigin, tags: tags.slice(i, i + 100) });
    await executor.execute(sql`select pg_notify(${INVALIDATION_CHANNEL}, ${payload})`);
  }
}

/**
 * The notice to other processes, sent inside the mutation's own transaction: PostgreSQL delivers it
 * at the commit, with the change, so a process killed between its commit and invalidateTags still
 * leaves no other instance serving the old page. Then call invalidateTags(tags, { noticed: true }).
 */
export async function noticeInTransaction(tx: Executor, tags: string[]): Promise<void> {
  const unique = [...new Set(tags)];
  if (unique.length > 0 && (await getDatabase()).kind === "postgres") await notify(tx, unique);
}

/**
 * The one invalidation every content mutation uses: the next request for any page or query that
 * carries one of these tags renders afresh, in this process and, on PostgreSQL or with Redis, in
 * every other process (other instances, or the import CLI's writes reaching a running server).
 * `noticed`: the transaction already sent the notice (noticeInTransaction).
 */
export async function invalidateTags(tags: string[], { noticed = false } = {}): Promise<void> {
  const unique = [...new Set(tags)];
  if (unique.length === 0) return;
  const at = Date.now();
  expireLocalTags(unique, at);
  if (getEnv().REDIS_URL) {
    // the change is committed: a Redis outage must not fail it (PostgreSQL's NOTIFY still reaches the instances)
    await expireSharedTags(getRedis(), unique, at).catch((error: Error) => logWarn("shared cache expiry failed", { error: error.message }));
  }
  // Likewise the notice to other processes: the change is committed, so a failure here (PostgreSQL
  // restarting) must not report it as failed. Their listeners lose the same connection and, on
  // reconnecting, empty their memory (lib/cache/listener.ts), which covers the notice they missed.
  if (noticed) return;
  try {
    const handle = await getDatabase();
    if (handle.kind === "postgres") await notify(handle.db, unique);
  } catch (error) {
    logWarn("cache expiry notice to other processes failed", { error: (error as Error).message, tags: unique.length });
  }
}
