import { parseArgs } from "node:util";
import { openBackupDatabase } from "@/lib/backup/database";
import { exportBackup } from "@/lib/backup/export";
import { BackupError, oneLine } from "@/lib/backup/format";
import { fail } from "./cli";

const usage = `Usage: npm run export -- <file> [--with-secrets]

Writes the whole magazine to one gzip-compressed file: articles and their revisions, corrections,
sections, tags, authors, redirects, settings, the audit log, staff accounts and every media file.
Password hashes are left out unless --with-secrets is given; without them staff set a new password
after a restore. Load the file into an empty database with: npm run restore -- <file>`;

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { "with-secrets": { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
if (parsed.positionals.length !== 1) fail(`Give exactly one file to write.\n\n${usage}`);
const file = parsed.positionals[0]!;

const started = Date.now();
let problem: string | undefined;
try {
  const handle = await openBackupDatabase("export");
  try {
    const summary = await exportBackup(handle.db, file, { withSecrets: parsed.values["with-secrets"] });
    const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
    console.log(
      `Exported ${handle.location} to ${file} (${(summary.bytes / 1048576).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${summary.rows.articles ?? 0} articles, ${summary.rows.users ?? 0} people, ${rows} rows in all, ${summary.media} media files, ` +
        (parsed.values["with-secrets"] ? "WITH password hashes (keep the file safe)." : "without password hashes."),
    );
    // the file is kept (everything else is in it), but a backup short of media is not a success:
    // a scheduled export must not report one as done
    if (summary.missingMedia.length > 0) {
      const hint = process.env.MEDIA_STORAGE === "database" ? "" : " If this magazine keeps its media in the database, run the export with MEDIA_STORAGE=database.";
      problem =
        `Export incomplete: ${summary.missingMedia.length} media files named in the library are missing from storage (${summary.missingMedia.slice(0, 3).join(", ")}${summary.missingMedia.length > 3 ? ", …" : ""}); ` +
        `${file} holds everything else.${hint}`;
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  problem = error instanceof BackupError ? error.message : `Export failed: ${oneLine(error)}`;
}
if (problem) fail(problem);
