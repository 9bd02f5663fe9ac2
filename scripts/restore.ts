import { parseArgs } from "node:util";
import { openBackupDatabase } from "@/lib/backup/database";
import { BackupError, oneLine, readBackupHeader } from "@/lib/backup/format";
import { restoreBackup } from "@/lib/backup/restore";
import { getEnv } from "@/lib/env";
import { fail } from "./cli";

const usage = `Usage: npm run restore -- <file>

Loads a backup made by \`npm run export\` into an empty database (DATABASE_URL, or the embedded
database under DATA_DIR) and its media files into media storage. A database that already holds
content is refused. It all happens in one transaction: if anything fails, nothing is restored.`;

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
if (parsed.positionals.length !== 1) fail(`Give exactly one backup file to restore.\n\n${usage}`);
const file = parsed.positionals[0]!;

const started = Date.now();
let problem: string | undefined;
try {
  await readBackupHeader(file); // a wrong file is reported before the database is opened
  const handle = await openBackupDatabase("restore");
  try {
    const summary = await restoreBackup(handle.db, file);
    const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(
      `Restored ${file} (made ${summary.createdAt}) into ${handle.location} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${summary.rows.articles ?? 0} articles, ${summary.rows.users ?? 0} people, ${rows} rows in all, ${summary.media} media files.`,
    );
    if (summary.missingMedia.length > 0) console.warn(`Warning: ${summary.missingMedia.length} media files were already missing when the backup was made.`);
    if (!summary.secrets) {
      console.log(
        "The backup holds no passwords, so nobody can sign in yet, and /editor/setup is open to the first visitor until an admin has one.\n" +
          "Give an admin a password now with `npm run user:create -- --email EMAIL --role admin` (the account keeps its articles),\n" +
          "then invite the other staff by their emails from /editor/staff: each keeps their articles too.",
      );
    }
    if (handle.kind === "postgres") console.log("A server already running on this database may show cached pages until it restarts.");
    // pages cached in Redis outlive a restart: from before the restore, they would be served again
    const { REDIS_URL, REDIS_PREFIX } = getEnv(); // validated by openBackupDatabase
    if (REDIS_URL) {
      console.log(`The shared page cache in Redis still holds pages from before the restore: clear it before the servers start (redis-cli -u "$REDIS_URL" --scan --pattern '${REDIS_PREFIX}page*' | xargs -r redis-cli -u "$REDIS_URL" del).`);
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  problem = error instanceof BackupError ? error.message : `Restore failed: ${oneLine(error)}. Nothing was restored.`;
}
if (problem) fail(problem);
