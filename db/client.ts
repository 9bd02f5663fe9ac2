import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { getEnv, isBuildPhase } from "@/lib/env";
import { acquirePgliteLock } from "./pglite-lock";
import { preparePgliteStatements, preparePoolStatements } from "./prepared-statements";
import * as schema from "./schema";

// Both drivers share drizzle's pg query builder; the node-postgres type stands for either.
export type Db = NodePgDatabase<typeof schema>;
/** The handle inside `db.transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DatabaseHandle = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Where the data lives: the PGlite directory, or the server's host and database (no password). */
  location: string;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export type OpenOptions =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir?: string; loadDataDir?: Blob }; // no dataDir: in memory

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");
const STARTUP_LOCK_KEY = 7_210_001; // any constant shared by every instance of this app
export const APPLICATION_NAME = "top-one-magazine";

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.kind === "postgres" ? openPostgres(options.url, options.poolSize) : openPglite(options);
}

// No parallel query plans for the app's sessions: a reader query is a few milliseconds of index
// reads, and starting parallel workers takes longer than that. At 100,000 articles the planner sent
// a deep author page's ids to two workers: 50–60 ms, against 4–7 ms in one process, and the author
// pages' p95 went from 78 to 40 ms (`npm run bench -- --articles 100000`). An `options` parameter
// in DATABASE_URL replaces this.
const SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0";

async function openPostgres(url: string, poolSize = 10): Promise<DatabaseHandle> {
  // named, so an operator can tell the app's connections apart in pg_stat_activity
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000, application_name: APPLICATION_NAME, options: SESSION_OPTIONS });
  // an idle client losing its server (a restart) must not crash the process; the pool reconnects
  pool.on("error", (error) => console.error(JSON.stringify({ level: "warn", msg: "database connection lost", error: error.message })));
  preparePoolStatements(pool);
  // The health check has a connection of its own: it asks whether the database answers, and a pool
  // busy with slow pages must not make it wait for a free connection (a load balancer would then
  // take a busy instance out of rotation and pile its readers onto the others). Opened on first use.
  const healthPool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2_000, application_name: `${APPLICATION_NAME}-health` });
  healthPool.on("error", () => {}); // its next ping reconnects, or reports the database down
  const parsed = new URL(url);
  return {
    db: drizzlePg(pool, { schema, casing: "snake_case" }),
    kind: "postgres",
    location: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    ping: (timeoutMs = 2_000) => withTimeout(healthPool.query("select 1").then(() => undefined), timeoutMs),
    close: async () => {
      await Promise.all([pool.end(), healthPool.end()]);
    },
  };
}

async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<DatabaseHandle> {
  let releaseLock = () => {};
  if (options.dataDir) {
    fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
    releaseLock = acquirePgliteLock(options.dataDir);
  }
  try {
    const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
    preparePgliteStatements(client);
    return {
      db: drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db,
      kind: "pglite",
      location: options.dataDir ? path.resolve(options.dataDir) : "memory",
      ping: (timeoutMs = 2_000) => withTimeout(client.query("select 1").then(() => undefined), timeoutMs),
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Applies pending migrations. On PostgreSQL an advisory lock lets several instances start together safely. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as never, { migrationsFolder });
    return;
  }
  await whileStartupLocked(handle, (locked) => migratePg(locked!, { migrationsFolder }));
}

/**
 * Runs start-up work (migrations, seeding an empty database) while holding a PostgreSQL advisory
 * lock, so instances starting together take turns: the second finds the work done. `work` gets the
 * connection holding the lock (a pool of one still migrates); it may use the others too. PGlite has
 * one process: no lock, and `work` gets null.
 */
export async function whileStartupLocked<T>(handle: DatabaseHandle, work: (locked: Db | null) => Promise<T>): Promise<T> {
  if (handle.kind === "pglite") return work(null);
  const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
    return await work(drizzlePg(client, { schema, casing: "snake_case" }) as unknown as Db);
  } finally {
    await client.query("select pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** The options the environment asks for: PostgreSQL when DATABASE_URL is set, else PGlite under ./data. */
export function databaseOptionsFromEnv(): OpenOptions {
  const env = getEnv();
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  return { kind: "pglite", dataDir: env.PGLITE_DIR ?? path.join(env.DATA_DIR, "pglite") };
}

type DbGlobal = { __magazineDb?: Promise<DatabaseHandle>; __magazineDbFinal?: boolean };
const store = globalThis as DbGlobal;

/**
 * The process-wide database, opened and migrated once. Kept on globalThis because Next.js loads
 * this module once per bundle (pages, route handlers): two PGlite instances on one directory corrupt it.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  if (isBuildPhase()) {
    throw new Error("The database was used during `next build`. Builds must not need a database: read data at request time.");
  }
  // a server shutting down closed it for good: work still running (a scheduler tick, a late
  // request) must not open a second pool, or a second PGlite on the same directory
  if (store.__magazineDbFinal && !store.__magazineDb) return Promise.reject(new Error("The server is shutting down: the database is closed."));
  store.__magazineDb ??= (async () => {
    const handle = await openDatabase(databaseOptionsFromEnv());
    await migrateDatabase(handle);
    return handle;
  })().catch((error: unknown) => {
    store.__magazineDb = undefined; // let the next request try again (for example once PostgreSQL is back)
    throw error;
  });
  return store.__magazineDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Tests and scripts install their own database (an in-memory PGlite, a fresh server database). */
export function useDatabase(handle: DatabaseHandle): void {
  store.__magazineDbFinal = false;
  store.__magazineDb = Promise.resolve(handle);
}

/** Closes the process-wide database; `final` (a server's shutdown) also refuses to open it again. */
export async function closeDatabase({ final = false } = {}): Promise<void> {
  if (final) store.__magazineDbFinal = true;
  const pending = store.__magazineDb;
  store.__magazineDb = undefined;
  if (pending) await (await pending).close();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
