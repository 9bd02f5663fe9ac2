import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getMediaStorage, isValidMediaKey, type MediaStorage } from "@/lib/media/storage";
import { BackupError, oneLine, openBackup, type BackupEnd, type BackupHeader } from "./format";
import { storageWithin } from "./media";
import { EXCLUDED_TABLES, planTables, type Executor, type TableInfo, type TablePlan } from "./tables";

// Loads a backup (./format.ts) into an empty database: one transaction, so a bad file, a full disk
// or a constraint the rows break leaves the database as empty as it was. Media bytes kept in the
// database roll back with it; files written to disk before the failure are removed again.

/** `storage`: where the media bytes go; a DatabaseStorage means this database's media_files (see ./media.ts). */
export type RestoreOptions = { storage?: MediaStorage };

export type RestoreSummary = { createdAt: string; secrets: boolean; rows: Record<string, number>; media: number; missingMedia: string[] };

// rows per INSERT, and a bound on the JSON text sent at once (article bodies can be large)
const BATCH_ROWS = 500;
const BATCH_CHARS = 4 * 1024 * 1024;

export async function restoreBackup(db: Db, file: string, { storage = getMediaStorage() }: RestoreOptions = {}): Promise<RestoreSummary> {
  const reader = openBackup(file);
  const written: string[] = [];
  try {
    const header = await reader.header;
    return await db.transaction(async (tx) => {
      const media = storageWithin(storage, tx);
      const plan = await planTables(tx);
      const targets = matchTables(header, plan, file);
      await requireEmpty(tx, plan);
      const loader = new Loader(tx, targets, file);
      const expectedKeys = new Set<string>();
      const seenKeys = new Set<string>();
      let end: BackupEnd | undefined;

      for await (const item of reader.items()) {
        if (item.kind === "row") {
          await loader.add(item.table, item.row, item.values, item.line);
          if (item.table === "media") for (const key of mediaKeys(item.values)) expectedKeys.add(key);
        } else if (item.kind === "media") {
          await loader.flush();
          if (!expectedKeys.has(item.key) || seenKeys.has(item.key) || !isValidMediaKey(item.key)) {
            throw new BackupError(`${file} is corrupt: line ${item.line} holds a media file no media row names (${item.key.slice(0, 60)}).`);
          }
          seenKeys.add(item.key);
          const existing = await media.storage.get(item.key);
          if (existing && Buffer.from(existing).equals(item.bytes)) continue;
          await media.storage.put(item.key, item.bytes);
          if (!existing && !media.transactional) written.push(item.key); // files on disk do not roll back with the database
        } else {
          await loader.flush();
          end = item.end;
        }
      }
      // openBackup's items() ends only after the end marker; check it against what arrived
      const missing = [...expectedKeys].filter((key) => !seenKeys.has(key));
      if (!end || JSON.stringify(sortedCounts(end.rows)) !== JSON.stringify(sortedCounts(loader.counts)) || end.media !== seenKeys.size) {
        throw new BackupError(`${file} is corrupt: its end marker does not match the rows and files it holds.`);
      }
      if (missing.some((key) => !end.missingMedia.includes(key))) throw new BackupError(`${file} is corrupt: media files its rows name are missing.`);
      await loader.finish(plan);
      return { createdAt: header.createdAt, secrets: header.secrets, rows: loader.counts, media: seenKeys.size, missingMedia: end.missingMedia };
    });
  } catch (error) {
    for (const key of written) await storage.delete(key).catch(() => {});
    throw describe(error);
  } finally {
    await reader.close();
  }
}

type Target = { info: TableInfo; columns: string[]; deferred: string[] };

/** The backup's tables against this database's: a column the database lacks would be lost, so it is refused. */
function matchTables(header: BackupHeader, plan: TablePlan, file: string): Map<string, Target> {
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  const targets = new Map<string, Target>();
  for (const table of header.tables) {
    const info = byName.get(table.name);
    if (!info) {
      const does = table.name in EXCLUDED_TABLES ? "restore" : "have";
      throw new BackupError(`${file} holds a table ${table.name} that this version of the magazine does not ${does}; restore it with the version that made it.`);
    }
    const unknown = table.columns.filter((c) => !info.columns.includes(c));
    if (unknown.length > 0) throw new BackupError(`${file} holds column ${table.name}.${unknown[0]} that this version of the magazine does not have; restore it with the version that made it.`);
    const deferred = [...new Set([...table.deferred, ...(plan.deferred.get(table.name) ?? [])])].filter((c) => table.columns.includes(c));
    targets.set(table.name, { info, columns: table.columns, deferred });
  }
  return targets;
}

/** Locks the tables against other writers (a server on PostgreSQL) and refuses a database with content. */
async function requireEmpty(tx: Executor, plan: TablePlan): Promise<void> {
  await tx.execute(sql`lock table ${sql.join(plan.tables.map((t) => sql.identifier(t.name)), sql`, `)} in exclusive mode`);
  const counts = (await tx.execute(
    sql`select ${sql.join(plan.tables.map((t) => sql`(select count(*) from ${sql.identifier(t.name)})::int as ${sql.identifier(t.name)}`), sql`, `)}`,
  )) as unknown as { rows: Record<string, number>[] };
  const filled = Object.entries(counts.rows[0]!).filter(([, n]) => Number(n) > 0);
  if (filled.length > 0) {
    const what = filled.map(([table, n]) => `${n} ${table.replace(/_/g, " ")}`).join(", ");
    throw new BackupError(`The database is not empty (${what}); a backup is restored only into an empty one, so nothing was changed.`);
  }
}

/** Inserts rows in batches, table by table in the file's (foreign-key) order. */
class Loader {
  readonly counts: Record<string, number> = {};
  private table: string | undefined;
  private batch: string[] = [];
  private chars = 0;
  private readonly done = new Set<string>();
  // rows whose cyclic references are set once every table is in (kept as their text)
  private readonly later = new Map<string, string[]>();

  constructor(
    private readonly tx: Executor,
    private readonly targets: Map<string, Target>,
    private readonly file: string,
  ) {}

  async add(table: string, row: string, values: Record<string, unknown>, line: number): Promise<void> {
    const target = this.targets.get(table);
    if (!target) throw new BackupError(`${this.file} is corrupt: line ${line} is a row of ${table}, a table its header does not list.`);
    if (table !== this.table) {
      await this.flush();
      if (this.done.has(table)) throw new BackupError(`${this.file} is corrupt: the rows of ${table} are not together (line ${line}).`);
      if (this.table) this.done.add(this.table);
      this.table = table;
      this.counts[table] ??= 0;
    }
    this.batch.push(row);
    this.chars += row.length;
    this.counts[table]!++;
    if (target.deferred.some((c) => values[c] !== null && values[c] !== undefined)) {
      const rows = this.later.get(table) ?? [];
      rows.push(row);
      this.later.set(table, rows);
    }
    if (this.batch.length >= BATCH_ROWS || this.chars >= BATCH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.table || this.batch.length === 0) return;
    const { info, columns, deferred } = this.targets.get(this.table)!;
    const inserted = columns.filter((c) => !deferred.includes(c));
    const list = sql.join(inserted.map((c) => sql.identifier(c)), sql`, `);
    const json = `[${this.batch.join(",")}]`;
    this.batch = [];
    this.chars = 0;
    // jsonb_populate_recordset turns each value into its column's type by that type's own input:
    // exact for timestamps, jsonb, bytea and numerics. Ids are the backup's, sequences follow in finish().
    await this.tx.execute(
      sql`insert into ${sql.identifier(info.name)} (${list}) overriding system value select ${list} from jsonb_populate_recordset(null::${sql.identifier(info.name)}, ${json}::jsonb)`,
    );
  }

  /** Sets the deferred references, then moves each sequence past the restored ids. */
  async finish(plan: TablePlan): Promise<void> {
    await this.flush();
    for (const [table, rows] of this.later) {
      const { info, deferred } = this.targets.get(table)!;
      const set = sql.join(deferred.map((c) => sql`${sql.identifier(c)} = v.${sql.identifier(c)}`), sql`, `);
      const match = sql.join(info.primaryKey.map((c) => sql`t.${sql.identifier(c)} = v.${sql.identifier(c)}`), sql` and `);
      for (let i = 0; i < rows.length; i += BATCH_ROWS) {
        const json = `[${rows.slice(i, i + BATCH_ROWS).join(",")}]`;
        await this.tx.execute(sql`update ${sql.identifier(table)} t set ${set} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${json}::jsonb) v where ${match}`);
      }
    }
    for (const info of plan.tables) {
      for (const { column, sequence } of info.sequences) {
        await this.tx.execute(sql`select setval(${sequence}::regclass, coalesce((select max(${sql.identifier(column)}) from ${sql.identifier(info.name)}), 0) + 1, false)`);
      }
    }
  }
}

function mediaKeys(values: Record<string, unknown>): string[] {
  const variants = Array.isArray(values.variants) ? (values.variants as { key?: unknown }[]) : [];
  return [values.storage_key, ...variants.map((v) => v?.key)].filter((key): key is string => typeof key === "string");
}

function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Database errors as one readable line: drizzle wraps them with the whole query and its (huge) parameters. */
function describe(error: unknown): unknown {
  if (error instanceof BackupError || !(error instanceof Error)) return error;
  if (!(error.cause instanceof Error) && !error.message.startsWith("Failed query:")) return error;
  return new BackupError(`The database refused the backup's rows (${oneLine(error).slice(0, 300)}); nothing was restored.`);
}
