import { parseArgs } from "node:util";
import { getEnv } from "@/lib/env";
import { copyMediaFiles } from "@/lib/media/copy-storage";
import { mediaFolder, mediaStorageFor } from "@/lib/media/storage";
import { fail, finish, openScriptDatabase } from "./cli";

const usage = `Usage: npm run media:copy -- --to database|disk

Copies every uploaded image (originals and their resized variants) from the other media storage into
the one named, before you switch MEDIA_STORAGE to it: "database" is the media_files table of the
database the environment names (DATABASE_URL, or the embedded one), "disk" is $DATA_DIR/media.
Files already there are kept, so the copy can be run again; nothing is deleted from the source.`;

let parsed;
try {
  parsed = parseArgs({ options: { to: { type: "string" }, help: { type: "boolean", short: "h" } } });
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const to = parsed.values.to;
if (to !== "database" && to !== "disk") fail(`Say where to copy the files: --to database or --to disk.\n\n${usage}`);

const handle = await openScriptDatabase("copy media files");
const env = getEnv();
const disk = mediaStorageFor({ ...env, MEDIA_STORAGE: "disk" });
const database = mediaStorageFor({ ...env, MEDIA_STORAGE: "database" });
const started = Date.now();
const report = await copyMediaFiles(handle.db, to === "database" ? disk : database, to === "database" ? database : disk, (done, total) => {
  if (process.stderr.isTTY) process.stderr.write(`\r  ${done} of ${total} files…`);
});
if (process.stderr.isTTY) process.stderr.write("\n");
await finish();

const target = to === "database" ? `the database (${handle.location})` : mediaFolder(env);
console.log(`Copied ${report.copied} of ${report.files} media files into ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s; ${report.alreadyThere} were already there.`);
if (report.missing.length > 0) {
  fail(`${report.missing.length} files named in the media library were not in the source storage: ${report.missing.slice(0, 5).join(", ")}${report.missing.length > 5 ? ", …" : ""}. Those images stay broken until uploaded again.`);
}
console.log(`Now set MEDIA_STORAGE=${to} and restart the magazine.`);
