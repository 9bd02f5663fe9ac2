import { afterEach, describe, expect, it } from "vitest";
import { getDatabase, openDatabase, useDatabase } from "@/db/client";
import { checkDatabaseHealth } from "@/lib/health";

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
});
