import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, getDb } from "@/db/client";
import { INVALIDATION_CHANNEL, noticeInTransaction, processOrigin } from "@/lib/cache/invalidate";
import { databaseUrl, testServerUrl } from "../../fixtures/database";

// On PostgreSQL, a mutation's notice to the other instances goes inside its own transaction: it is
// delivered at the commit, with the change, or never (a rollback, or a process killed before its
// commit). So a process killed between its commit and its post-commit invalidation still leaves no
// other instance serving the old page.

const serverUrl = testServerUrl();
let listener: pg.Client;
const received: string[][] = [];

describe.skipIf(!serverUrl)("the cache notice inside a transaction (PostgreSQL)", () => {
  beforeAll(async () => {
    const database = (await getDatabase()).location.split("/").pop()!;
    listener = new pg.Client({ connectionString: databaseUrl(serverUrl!, database) });
    await listener.connect();
    listener.on("notification", (message) => {
      const payload = JSON.parse(message.payload ?? "{}") as { origin?: string; tags?: string[] };
      if (message.channel === INVALIDATION_CHANNEL && payload.origin === processOrigin) received.push(payload.tags ?? []);
    });
    await listener.query(`listen ${INVALIDATION_CHANNEL}`);
  });
  afterAll(async () => listener?.end());

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it("is delivered at the commit, not before it", async () => {
    const db = await getDb();
    await db.transaction(async (tx) => {
      await noticeInTransaction(tx, ["article:committed", "front-page", "front-page"]);
      await settle();
      expect(received).toEqual([]); // still inside the transaction: nobody has heard
    });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual([["article:committed", "front-page"]]);
  });

  it("is never delivered when the transaction rolls back", async () => {
    received.length = 0;
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await noticeInTransaction(tx, ["article:rolled-back"]);
        await tx.execute(sql`select 1/0`);
      }),
    ).rejects.toThrow();
    await settle();
    expect(received).toEqual([]);
  });
});
