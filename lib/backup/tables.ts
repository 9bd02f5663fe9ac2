import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { BackupError } from "./format";

// Which tables a backup holds, and the order that satisfies their foreign keys. Every table of
// db/schema.ts is backed up unless listed here, so a table added later is not silently left out;
// columns, keys and references are read from the database itself (what the migrations made).

export const EXCLUDED_TABLES: Record<string, string> = {
  // throttling counters for the last day, with client addresses: nothing worth keeping
  sign_in_attempts: "sign-in throttling counters",
  // hashes of live one-time links (invitations, password resets): credentials; an admin issues new ones
  staff_tokens: "one-time staff links",
  // media bytes under MEDIA_STORAGE=database: they travel as media lines, like files on disk, so a
  // backup from either storage restores into either
  media_files: "media bytes, carried as media lines",
  // which images each article shows: rebuilt by triggers (migration 0008) as the articles are restored
  article_media: "derived from the articles",
};

/** Columns written only with `--with-secrets`. */
export const SECRET_COLUMNS: Record<string, string[]> = { users: ["password_hash"] };

export type Executor = Pick<Db, "execute">;

export type TableInfo = {
  name: string;
  /** Insertable columns in table order (generated columns left out). */
  columns: string[];
  nullable: Set<string>;
  primaryKey: string[];
  /** Referenced table per foreign-key column (self-references included). */
  references: { columns: string[]; table: string }[];
  /** Columns filled from a sequence (serial, identity), to move on past restored ids. */
  sequences: { column: string; sequence: string }[];
};

export type TablePlan = { tables: TableInfo[]; deferred: Map<string, string[]> };

/** The SQL names of the tables db/schema.ts declares that backups hold, in declaration order. */
export function backedUpTableNames(): string[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableConfig(table).name)
    .filter((name) => !(name in EXCLUDED_TABLES));
}

async function rowsOf<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Reads the backed-up tables' structure from the database and orders them parents first. */
export async function planTables(db: Executor): Promise<TablePlan> {
  const names = backedUpTableNames();
  const columns = await rowsOf<{ table_name: string; column_name: string; nullable: boolean; sequence: string | null }>(
    db,
    sql`select table_name, column_name, is_nullable = 'YES' as nullable,
          pg_get_serial_sequence(format('%I.%I', table_schema, table_name), column_name) as sequence
        from information_schema.columns
        where table_schema = current_schema() and is_generated = 'NEVER'
        order by table_name, ordinal_position`,
  );
  const constraints = await rowsOf<{ table_name: string; type: "p" | "f"; target: string | null; columns: string }>(
    db,
    sql`select c.relname as table_name, con.contype as type, t.relname as target,
          (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum)::text as columns
        from pg_constraint con
        join pg_class c on c.oid = con.conrelid
        left join pg_class t on t.oid = con.confrelid
        where con.contype in ('p', 'f') and c.relnamespace = current_schema()::regnamespace`,
  );

  const infos = new Map<string, TableInfo>();
  for (const name of names) {
    const own = columns.filter((c) => c.table_name === name);
    if (own.length === 0) throw new BackupError(`The database has no table ${name}: run the migrations (npm run db:migrate) first.`);
    const keys = constraints.filter((c) => c.table_name === name);
    const primary = keys.find((c) => c.type === "p");
    if (!primary) throw new BackupError(`Table ${name} has no primary key, so its rows cannot be backed up in a stable order.`);
    infos.set(name, {
      name,
      columns: own.map((c) => c.column_name),
      nullable: new Set(own.filter((c) => c.nullable).map((c) => c.column_name)),
      primaryKey: JSON.parse(primary.columns) as string[],
      references: keys.filter((c) => c.type === "f").map((c) => ({ columns: JSON.parse(c.columns) as string[], table: c.target! })),
      sequences: own.filter((c) => c.sequence).map((c) => ({ column: c.column_name, sequence: c.sequence! })),
    });
  }
  return orderTables([...infos.values()]);
}

/**
 * Parents before children. A reference that closes a cycle (users and media point at each other:
 * a profile photo, an uploader) is deferred: its column is inserted empty and set once every row is in.
 */
export function orderTables(tables: TableInfo[]): TablePlan {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const deferred = new Map<string, string[]>();
  const state = new Map<string, "visiting" | "done">();

  const defer = (table: TableInfo, columns: string[]) => {
    const required = columns.filter((c) => !table.nullable.has(c));
    if (required.length > 0) throw new BackupError(`Tables reference each other through required columns (${table.name}.${required.join(", ")}); backups cannot order them.`);
    deferred.set(table.name, [...new Set([...(deferred.get(table.name) ?? []), ...columns])]);
  };

  const visit = (table: TableInfo) => {
    if (state.get(table.name) === "done") return;
    state.set(table.name, "visiting");
    for (const reference of table.references) {
      const parent = byName.get(reference.table);
      if (!parent) continue; // a table backups leave out; its column's values are kept as they are
      if (parent === table || state.get(parent.name) === "visiting") defer(table, reference.columns);
      else visit(parent);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  tables.forEach(visit);
  return { tables: ordered, deferred };
}
