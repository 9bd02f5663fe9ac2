import "server-only";
import { getDatabase } from "@/db/client";
import { logWarn } from "@/lib/log";

/** True when the database answers a trivial query within two seconds. */
export async function checkDatabaseHealth(): Promise<boolean> {
  try {
    const handle = await getDatabase();
    await handle.ping(2_000);
    return true;
  } catch (error) {
    logWarn("health check failed", { error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}
