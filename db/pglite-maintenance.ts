import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client";

// PGlite is PostgreSQL in one process with no background workers: nothing autovacuums. Dead row
// versions (every autosave leaves one) would pile up in tables and indexes, and the planner would
// keep the statistics of the day the database was made. This does autovacuum's work, with its
// default thresholds, from the server's own timer. PostgreSQL servers do it themselves.

const VACUUM_THRESHOLD = { rows: 50, share: 0.2 }; // autovacuum_vacuum_threshold / _scale_factor
const ANALYZE_THRESHOLD = { rows: 50, share: 0.1 }; // autovacuum_analyze_threshold / _scale_factor
const INTERVAL_MS = 10 * 60 * 1000;

export type TableMaintenance = { table: string; vacuumed: boolean; analyzed: boolean; ms: number };

/**
 * Vacuums (and analyzes) each table with more dead rows than autovacuum would allow, and analyzes
 * each with more changes since its statistics. PGlite runs statements one at a time, so readers'
 * queries wait meanwhile; a vacuum only reads the pages changed since the last one.
 */
export async function maintainPgliteTables(handle: DatabaseHandle): Promise<TableMaintenance[]> {
  if (handle.kind !== "pglite") return [];
  // sized, as autovacuum does, by pg_class's row estimate (kept by VACUUM and ANALYZE), not by the
  // live-row counter, which starts again from nothing when statistics are reset
  const { rows } = await handle.db.execute<{ table: string; live: number; dead: number; changed: number }>(sql`
    select s.relname as "table", greatest(c.reltuples, 0)::float8 as live, s.n_dead_tup::float8 as dead, s.n_mod_since_analyze::float8 as changed
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.schemaname = 'public' order by s.relname`);
  // VACUUM refuses to run inside a transaction block: PGlite's exec sends it as a simple query
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  const done: TableMaintenance[] = [];
  for (const { table, live, dead, changed } of rows) {
    const vacuum = dead > VACUUM_THRESHOLD.rows + VACUUM_THRESHOLD.share * live;
    const analyze = vacuum || changed > ANALYZE_THRESHOLD.rows + ANALYZE_THRESHOLD.share * live;
    if (!analyze) continue;
    const started = performance.now();
    const name = `"${table.replaceAll('"', '""')}"`;
    await client.exec(vacuum ? `vacuum (analyze) ${name}` : `analyze ${name}`);
    done.push({ table, vacuumed: vacuum, analyzed: true, ms: Math.round(performance.now() - started) });
  }
  return done;
}

/** Runs maintainPgliteTables every ten minutes; returns a stop function. Failures wait for the next round. */
export function startPgliteMaintenance(handle: DatabaseHandle, onRound: (done: TableMaintenance[]) => void, onError: (error: unknown) => void, intervalMs = INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      onRound(await maintainPgliteTables(handle));
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
