import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getMediaStorage, type MediaStorage } from "@/lib/media/storage";
import { BACKUP_FORMAT, BACKUP_VERSION, BackupError, endLine, headerLine, mediaLine, rowLine, type BackupHeader, type BackupTable } from "./format";
import { storageWithin } from "./media";
import { planTables, SECRET_COLUMNS, type Executor, type TablePlan } from "./tables";

// Writes the whole magazine to one file (see ./format.ts): every content table, staff accounts
// without their password hashes unless asked, settings, and the media files' bytes. It streams:
// rows come through a cursor a thousand at a time and each media file is read when it is written,
// so the size of the magazine does not decide the memory it takes.

/** `storage`: where the media bytes are; a DatabaseStorage means this database's media_files (see ./media.ts). */
export type ExportOptions = { withSecrets?: boolean; storage?: MediaStorage };

export type BackupSummary = { rows: Record<string, number>; media: number; missingMedia: string[]; bytes: number };

const BATCH = 1000;
const CHUNK = 256 * 1024;

export async function exportBackup(db: Db, file: string, { withSecrets = false, storage = getMediaStorage() }: ExportOptions = {}): Promise<BackupSummary> {
  const target = path.resolve(file);
  checkWritable(target, file);
  // written beside the target and renamed at the end: a failed export never leaves a file that looks whole
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  const summary: BackupSummary = { rows: {}, media: 0, missingMedia: [], bytes: 0 };
  try {
    // one snapshot for every table: rows written while the export runs cannot break a foreign key
    await db.transaction(
      async (tx) => {
        const plan = await planTables(tx);
        const out = fs.createWriteStream(partial, { mode: 0o600 }); // it holds staff emails, maybe password hashes
        await pipeline(backupLines(tx, plan, withSecrets, storageWithin(storage, tx).storage, summary), createGzip(), out);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  summary.bytes = fs.statSync(target).size;
  return summary;
}

function checkWritable(target: string, file: string): void {
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new BackupError(`Cannot write ${file}: the folder ${dir} does not exist.`);
  if (fs.existsSync(target) && !fs.statSync(target).isFile()) throw new BackupError(`Cannot write ${file}: it is a directory.`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new BackupError(`Cannot write ${file}: the folder ${dir} is not writable.`);
  }
}

/** The columns a table's rows carry in the file. */
function exportedColumns(table: string, columns: string[], withSecrets: boolean): string[] {
  const secret = withSecrets ? [] : (SECRET_COLUMNS[table] ?? []);
  return columns.filter((c) => !secret.includes(c));
}

async function* backupLines(tx: Executor, plan: TablePlan, withSecrets: boolean, storage: MediaStorage, summary: BackupSummary): AsyncGenerator<string> {
  const tables: BackupTable[] = plan.tables.map((t) => {
    const columns = exportedColumns(t.name, t.columns, withSecrets);
    return { name: t.name, columns, deferred: (plan.deferred.get(t.name) ?? []).filter((c) => columns.includes(c)) };
  });
  const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), secrets: withSecrets, tables };
  yield headerLine(header);

  for (const [i, table] of tables.entries()) {
    const info = plan.tables[i]!;
    const columns = sql.join(table.columns.map((c) => sql.identifier(c)), sql`, `);
    const order = sql.join(info.primaryKey.map((c) => sql`r.${sql.identifier(c)}`), sql`, `);
    summary.rows[table.name] = 0;
    // to_jsonb's text is the exact value of every column type; it goes into the file unparsed
    for await (const rows of cursor<{ row: string }>(tx, sql`select to_jsonb(r)::text as row from (select ${columns} from ${sql.identifier(table.name)}) r order by ${order}`)) {
      summary.rows[table.name]! += rows.length;
      // chunks of about CHUNK characters: the stream buffers sixteen of them, whatever their size
      let chunk = "";
      for (const r of rows) {
        chunk += rowLine(table.name, r.row);
        if (chunk.length >= CHUNK) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
  }

  for await (const rows of cursor<{ key: string; variants: string }>(tx, sql`select storage_key as key, variants::text as variants from media order by id`)) {
    for (const row of rows) {
      const keys = [row.key, ...(JSON.parse(row.variants) as { key: string }[]).map((v) => v.key)];
      for (const key of keys) {
        const bytes = await storage.get(key);
        if (!bytes) {
          summary.missingMedia.push(key); // the row stays; the restored library shows it as missing, as here
          continue;
        }
        summary.media++;
        yield mediaLine(key, bytes);
      }
    }
  }
  yield endLine({ rows: summary.rows, media: summary.media, missingMedia: summary.missingMedia });
}

/** Batches of a query's rows through a server-side cursor (inside the caller's transaction). */
async function* cursor<T>(tx: Executor, query: ReturnType<typeof sql>): AsyncGenerator<T[]> {
  await tx.execute(sql`declare backup_cursor no scroll cursor for ${query}`);
  try {
    for (;;) {
      const result = (await tx.execute(sql.raw(`fetch ${BATCH} from backup_cursor`))) as unknown as { rows: T[] };
      if (result.rows.length === 0) return;
      yield result.rows;
    }
  } finally {
    // after a failed statement the transaction is aborted and rolls back anyway; keep that error
    await tx.execute(sql`close backup_cursor`).catch(() => {});
  }
}
