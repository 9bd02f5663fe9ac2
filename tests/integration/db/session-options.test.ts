import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { testServerUrl } from "../../fixtures/database";

// The app's PostgreSQL sessions plan without parallel workers (db/client.ts SESSION_OPTIONS): their
// start-up cost a deep author page ten times its query. An operator's own `options` in DATABASE_URL
// still wins. PGlite has no parallel workers, so this is PostgreSQL only.

const serverUrl = testServerUrl();

async function parallelWorkersPerGather(url: string): Promise<string> {
  const handle = await openDatabase({ kind: "postgres", url, poolSize: 1 });
  try {
    const { rows } = await handle.db.execute<{ max_parallel_workers_per_gather: string }>(sql`show max_parallel_workers_per_gather`);
    return rows[0]!.max_parallel_workers_per_gather;
  } finally {
    await handle.close();
  }
}

describe.skipIf(!serverUrl)("the app's PostgreSQL sessions", () => {
  it("plan without parallel workers", async () => {
    expect(await parallelWorkersPerGather(serverUrl!)).toBe("0");
  });

  it("take an operator's options from DATABASE_URL instead", async () => {
    const url = new URL(serverUrl!);
    url.searchParams.set("options", "-c max_parallel_workers_per_gather=1");
    expect(await parallelWorkersPerGather(url.toString())).toBe("1");
  });
});
