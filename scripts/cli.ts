import { closeDatabase, databaseOptionsFromEnv, migrateDatabase, openDatabase, useDatabase, type DatabaseHandle } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { EnvError, getEnv } from "@/lib/env";

/** Prints a message a person can act on and exits with status 1. */
export function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

/** Opens and migrates the database the environment names, for a command-line script. */
export async function openScriptDatabase(purpose: string): Promise<DatabaseHandle> {
  try {
    getEnv();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(databaseOptionsFromEnv());
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      fail(
        `Cannot ${purpose}: ${error.message}\n\n` +
          "Stop that process (Ctrl+C in its terminal) and run this command again,\n" +
          "or, while the magazine runs, import from the dashboard at /editor/import instead.\n" +
          "With PostgreSQL (DATABASE_URL) commands and the server can share the database.",
      );
    }
    throw error;
  }
  await migrateDatabase(handle);
  useDatabase(handle);
  return handle;
}

export async function finish(): Promise<void> {
  await closeDatabase();
}
