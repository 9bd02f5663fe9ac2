import "server-only";
import { getDatabase, whileStartupLocked } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { startPgliteMaintenance } from "@/db/pglite-maintenance";
import { isDatabaseEmpty, seedDemoContent } from "@/db/seed";
import { startScheduler } from "@/lib/articles/scheduler";
import { adminExists } from "@/lib/auth/setup";
import { listenForInvalidations } from "@/lib/cache/listener";
import { getEnv } from "@/lib/env";
import { logError, logInfo } from "@/lib/log";

/** Opens and migrates the database, seeds demo content into an empty one, and says where to go. */
export async function startServer(): Promise<void> {
  const started = Date.now();
  const env = getEnv();
  // both cope with a database that is down now and back later
  startScheduler();
  if (env.DATABASE_URL) listenForInvalidations(env.DATABASE_URL);
  try {
    const handle = await getDatabase();
    const opened = Date.now() - started;
    if (handle.kind === "pglite") {
      startPgliteMaintenance(
        handle,
        (done) => done.length > 0 && logInfo("vacuumed and analyzed the embedded database's busy tables", { tables: done }),
        (error) => logError("embedded database maintenance failed; will retry", error),
      );
    }
    let seeded = "";
    if (env.SEED_DEMO_CONTENT ?? handle.kind === "pglite") {
      // several instances may start together on one empty database: one seeds, the others find it done
      await whileStartupLocked(handle, async () => {
        if (await isDatabaseEmpty()) {
          const { articles } = await seedDemoContent();
          seeded = `, seeded ${articles} demo articles`;
        }
      });
    }
    const port = env.PORT ?? 3000;
    const where = handle.kind === "pglite" ? `PGlite at ${handle.location}` : `PostgreSQL at ${handle.location}`;
    console.log(
      `\n  Top One Magazine is ready at http://localhost:${port}\n` +
        `  Database: ${where} (opened and migrated in ${opened} ms${seeded}; ready in ${Date.now() - started} ms)\n` +
        (env.MAGAZINE_START_TIME ? `  Cold start: ${((Date.now() - env.MAGAZINE_START_TIME) / 1000).toFixed(1)} s since npm start\n` : "") +
        ((await adminExists())
          ? `  Staff: sign in at http://localhost:${port}/editor\n`
          : `  Staff: no admin yet. Create the admin account at http://localhost:${port}/editor/setup\n` +
            `         (or, with the server stopped: npm run user:create -- --email you@example.com --role admin)\n`),
    );
  } catch (error) {
    if (error instanceof DatabaseInUseError) {
      console.error(`\n  ${error.message}\n  Stop the other process first, or set PGLITE_DIR to another directory.\n`);
      process.exit(1);
    }
    // PostgreSQL may be down; the server still starts, /api/health answers 503 and requests retry.
    logError("database unavailable at start", error);
  }
}
