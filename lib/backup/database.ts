import fs from "node:fs";
import { databaseOptionsFromEnv, migrateDatabase, openDatabase, useDatabase, type DatabaseHandle } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { EnvError, getEnv } from "@/lib/env";
import { BackupError, oneLine } from "./format";

/**
 * The database the environment names (DATABASE_URL, else the PGlite directory), opened and migrated
 * for the export and restore commands. Every way this fails is a BackupError of one readable line:
 * a bad variable, the embedded database held by the running server, a server that does not answer.
 */
export async function openBackupDatabase(purpose: "export" | "restore"): Promise<DatabaseHandle> {
  let options;
  try {
    getEnv();
    options = databaseOptionsFromEnv();
  } catch (error) {
    if (error instanceof EnvError) throw new BackupError(`Invalid environment: ${error.problems.join("; ")}`);
    throw error;
  }
  // opening a missing directory would create an empty database and export nothing from it
  if (purpose === "export" && options.kind === "pglite" && options.dataDir && !fs.existsSync(options.dataDir)) {
    throw new BackupError(`There is no database at ${options.dataDir} (set PGLITE_DIR or DATA_DIR, or DATABASE_URL for PostgreSQL).`);
  }
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(options);
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      throw new BackupError(`Cannot ${purpose}: ${error.message} Stop that process first, then run this command again.`);
    }
    throw new BackupError(`Cannot open the database: ${oneLine(error)}`);
  }
  try {
    await migrateDatabase(handle);
  } catch (error) {
    await handle.close().catch(() => {});
    throw new BackupError(`Cannot use the database at ${handle.location}: ${oneLine(error)}`);
  }
  useDatabase(handle); // anything reaching for the process's database gets this one, never a second PGlite
  return handle;
}
