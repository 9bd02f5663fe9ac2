import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { maintainPgliteTables } from "@/db/pglite-maintenance";
import { createTestDatabase } from "../../fixtures/database";

// PGlite has no autovacuum: db/pglite-maintenance.ts does its work with its thresholds. Checked on
// an embedded database of this file's own (PostgreSQL servers vacuum themselves: skipped there).

const template = inject("databaseTemplate");
let handle: DatabaseHandle;
beforeAll(async () => {
  if (template.kind === "pglite") handle = await createTestDatabase(template);
});
afterAll(() => handle?.close());

type Stats = { dead: number; changed: number; vacuumed: boolean; analyzed: boolean };

/** The table's counters once they show `expected`: PostgreSQL publishes them at most once a second. */
async function stats(table: string, expected: (stats: Stats) => boolean = () => true): Promise<Stats> {
  for (let attempt = 0; ; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await handle.db.execute(sql`select 1`);
    const { rows } = await handle.db.execute<Stats>(sql`
      select n_dead_tup::int as dead, n_mod_since_analyze::int as changed, last_vacuum is not null as vacuumed, last_analyze is not null as analyzed
      from pg_stat_user_tables where relname = ${table}`);
    if (expected(rows[0]!) || attempt === 5) return rows[0]!;
  }
}

describe.skipIf(template.kind !== "pglite")("embedded database maintenance", () => {
  it("vacuums a table with many dead rows and analyzes one with many changes, leaving quiet tables alone", { timeout: 60_000 }, async () => {
    await handle.db.execute(sql`create table churned (id int primary key, body text)`);
    await handle.db.execute(sql`insert into churned select g, 'draft' from generate_series(1, 1000) g`);
    await handle.db.execute(sql`create table quiet (id int primary key, body text)`);
    await handle.db.execute(sql`insert into quiet select g, 'kept' from generate_series(1, 1000) g`);
    // a first round analyzes both fresh tables (1,000 rows inserted, never analyzed)
    await stats("churned", (s) => s.changed === 1000);
    await stats("quiet", (s) => s.changed === 1000);
    const first = await maintainPgliteTables(handle);
    expect(first.filter((t) => ["churned", "quiet"].includes(t.table)).map(({ table, vacuumed, analyzed }) => ({ table, vacuumed, analyzed }))).toEqual([
      { table: "churned", vacuumed: false, analyzed: true },
      { table: "quiet", vacuumed: false, analyzed: true },
    ]);

    // 600 dead versions of 1,000 rows: past 50 + 20 %; ten changes to the other: under both thresholds
    for (let round = 0; round < 2; round++) await handle.db.execute(sql`update churned set body = body || '.' where id <= 300`);
    await handle.db.execute(sql`update quiet set body = 'edited' where id <= 10`);
    expect((await stats("churned", (s) => s.dead === 600)).dead).toBe(600);
    expect((await stats("quiet", (s) => s.dead === 10)).dead).toBe(10);

    const second = await maintainPgliteTables(handle);
    expect(second.map((t) => t.table)).toContain("churned");
    expect(second.map((t) => t.table)).not.toContain("quiet");
    expect(second.find((t) => t.table === "churned")).toMatchObject({ vacuumed: true, analyzed: true });
    expect(await stats("churned", (s) => s.vacuumed)).toMatchObject({ dead: 0, changed: 0, vacuumed: true });
    expect(await stats("quiet")).toMatchObject({ dead: 10, vacuumed: false });

    // nothing left to do: a third round touches neither
    const third = await maintainPgliteTables(handle);
    expect(third.map((t) => t.table)).not.toContain("churned");
  });
});
