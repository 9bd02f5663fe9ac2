import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDatabase, openDatabase, useDatabase } from "@/db/client";
import { checkDatabaseHealth } from "@/lib/health";
import { testServerUrl } from "../fixtures/database";

describe("checkDatabaseHealth", () => {
  let restore: Awaited<ReturnType<typeof getDatabase>> | undefined;
  afterEach(() => {
    if (restore) useDatabase(restore);
  });

  it("is healthy while the database answers", async () => {
    expect(await checkDatabaseHealth()).toBe(true);
  });

  it("is unhealthy, without throwing, when the database server is unreachable", async () => {
    restore = await getDatabase();
    const unreachable = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/none", poolSize: 1 });
    useDatabase(unreachable);
    const started = Date.now();
    expect(await checkDatabaseHealth()).toBe(false);
    expect(Date.now() - started).toBeLessThan(6_000);
    await unreachable.close();
  });

  // PGlite has one connection by design; on PostgreSQL the check has a connection of its own
  it.skipIf(!testServerUrl())("stays healthy while every pooled connection is busy with slow work", async () => {
    restore = await getDatabase();
    const busy = await openDatabase({ kind: "postgres", url: testServerUrl()!, poolSize: 1 });
    useDatabase(busy);
    const slowPage = busy.db.execute(sql`select pg_sleep(3)`).then(() => undefined); // drizzle queries run when awaited
    await new Promise((resolve) => setTimeout(resolve, 200)); // the pool's one connection is taken
    const started = Date.now();
    expect(await checkDatabaseHealth()).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    await slowPage;
    await busy.close();
  });
});
