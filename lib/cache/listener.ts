import "server-only";
import pg from "pg";
import { APPLICATION_NAME } from "@/db/client";
import { logWarn } from "@/lib/log";
import { INVALIDATION_CHANNEL, processOrigin } from "./invalidate";
import { expireLocalTags, pageCacheState } from "./page-cache-state.cjs";

/**
 * Applies other processes' invalidations to this one (PostgreSQL only: PGlite allows one process).
 * Reconnects after the server restarts; returns a stop function.
 */
export function listenForInvalidations(databaseUrl: string): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: `${APPLICATION_NAME}-listener` });
    next.on("notification", (message) => {
      try {
        const { origin, tags } = JSON.parse(message.payload ?? "{}") as { origin?: string; tags?: string[] };
        if (origin !== processOrigin && Array.isArray(tags)) expireLocalTags(tags);
      } catch {
        // not ours
      }
    });
    next.on("error", () => scheduleReconnect());
    next.on("end", () => scheduleReconnect());
    try {
      await next.connect();
      await next.query(`listen ${INVALIDATION_CHANNEL}`);
      client = next;
    } catch (error) {
      logWarn("cache invalidation listener could not connect; retrying", { error: (error as Error).message });
      next.end().catch(() => {});
      scheduleReconnect();
    }
  };

  const scheduleReconnect = () => {
    client = null;
    if (stopped || retry) return;
    // writes missed while disconnected can't be replayed: expire everything once we are back
    retry = setTimeout(async () => {
      retry = undefined;
      await connect();
      if (client) clearLocalPageCache();
    }, 2_000);
  };

  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

function clearLocalPageCache() {
  pageCacheState().clear?.();
}
