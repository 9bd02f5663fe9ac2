import { sql } from "drizzle-orm";
import { describe, expect, it, inject } from "vitest";
import { closeDatabase, getDatabase, getDb, useDatabase } from "@/db/client";
import { createTestDatabase } from "../../fixtures/database";

// A server shutting down closes its database for good (scripts/server.ts): work still running after
// that (a scheduler tick, a late request) gets an error instead of opening a second pool, or a
// second PGlite on the same directory.

describe("closing the database at shutdown", () => {
  it("refuses to open it again after a final close, and an installed database lifts that", async () => {
    expect((await (await getDb()).execute(sql`select 1 as one`)).rows).toEqual([{ one: 1 }]);
    await closeDatabase({ final: true });
    await expect(getDatabase()).rejects.toThrow("The server is shutting down: the database is closed.");
    await expect(getDb()).rejects.toThrow(/shutting down/);
    // tests and scripts install their own database again (the file's teardown closes it)
    useDatabase(await createTestDatabase(inject("databaseTemplate")));
    expect((await (await getDb()).execute(sql`select 2 as two`)).rows).toEqual([{ two: 2 }]);
  });
});
