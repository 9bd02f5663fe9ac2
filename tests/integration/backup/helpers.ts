import fs from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { is } from "drizzle-orm";
import sharp from "sharp";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";

export { listFiles } from "../media/helpers";

// Shared by the backup tests: readers for a whole table in primary-key order (as Postgres's own
// JSON text, exact to the microsecond, and as drizzle's objects), and small file surgeons that make
// the truncated, corrupt and foreign files a restore must refuse.

/** Every table db/schema.ts declares, by SQL name. */
export function schemaTables(): Map<string, PgTable> {
  const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
  return new Map(tables.map((table) => [getTableConfig(table).name, table]));
}

async function primaryKey(db: Db, table: string): Promise<string[]> {
  const result = (await db.execute(
    sql`select a.attname as name from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ${table}::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
  )) as unknown as { rows: { name: string }[] };
  return result.rows.map((r) => r.name);
}

/** A table's rows in primary-key order as Postgres's JSON text (every column, the generated ones too). */
export async function rowsAsText(db: Db, table: string, omit: string[] = []): Promise<string[]> {
  const order = (await primaryKey(db, table)).map((c) => sql`t.${sql.identifier(c)}`);
  const minus = omit.map((c) => sql` - ${c}::text`);
  const result = (await db.execute(
    sql`select (to_jsonb(t)${sql.join(minus, sql``)})::text as row from ${sql.identifier(table)} t order by ${sql.join(order, sql`, `)}`,
  )) as unknown as { rows: { row: string }[] };
  return result.rows.map((r) => r.row);
}

/** A table's rows in primary-key order as drizzle reads them (Dates, parsed jsonb). */
export async function rowsAsObjects(db: Db, table: string): Promise<Record<string, unknown>[]> {
  const order = (await primaryKey(db, table)).map((c) => sql`${sql.identifier(c)}`);
  return (await db.select().from(schemaTables().get(table)!).orderBy(...order)) as Record<string, unknown>[];
}

export async function rowCount(db: Db, table: string): Promise<number> {
  const result = (await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

/** Row counts of every schema table, to assert that a refused restore changed nothing. */
export async function allCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of schemaTables().keys()) counts[table] = await rowCount(db, table);
  return counts;
}

/** The decompressed lines of a backup file. */
export function backupLines(file: string): string[] {
  return gunzipSync(fs.readFileSync(file)).toString("utf8").split("\n").filter((line) => line !== "");
}

/** Writes `lines` as a (well-formed) gzip backup file. */
export function writeBackupLines(file: string, lines: string[]): string {
  fs.writeFileSync(file, gzipSync(`${lines.join("\n")}\n`));
  return file;
}

/** A real photograph-sized PNG (a gradient, so it does not compress to nothing). */
export async function gradientPng(width: number, height: number): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 3) & 0xff;
      raw[i + 1] = (y * 5) & 0xff;
      raw[i + 2] = (x + y) & 0xff;
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
}
