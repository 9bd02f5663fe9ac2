import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { operator } from "@/lib/auth/permissions";
import { ImportError } from "@/lib/import/errors";
import { invalidateTags } from "@/lib/cache/invalidate";
import { importArticleFile, parseArticleFile, type ImportOptions } from "@/lib/import/import-article";
import { fail, finish, openScriptDatabase } from "./cli";

const usage = `Usage: npm run import -- <file> [--publish] [--source-url URL] [--source-name NAME] [--author NAME]... [--section SLUG]

Imports a plain-text article (masthead, headline, paragraphs, a closing "Go To Source" line)
or Markdown with front matter. Without --publish the article is saved as a draft.`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      publish: { type: "boolean", default: false },
      "source-url": { type: "string" },
      "source-name": { type: "string" },
      author: { type: "string", multiple: true },
      section: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (positionals.length !== 1) fail(`Give exactly one file to import.\n\n${usage}`);

const file = positionals[0]!;
let bytes: Uint8Array;
try {
  const stat = fs.statSync(file);
  if (!stat.isFile()) fail(`${file} is not a file.`);
  if (stat.size > 5 * 1024 * 1024) fail(`${file} is ${(stat.size / 1048576).toFixed(1)} MiB; an article file may be at most 5 MiB.`);
  bytes = fs.readFileSync(file);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") fail(`No such file: ${file}`);
  throw error;
}

const options: ImportOptions = {
  fileName: path.basename(file),
  publish: values.publish,
  sourceUrl: values["source-url"],
  sourceName: values["source-name"],
  authors: values.author,
  section: values.section,
};

try {
  parseArticleFile(bytes, options); // report a bad file before waiting on the database
  await openScriptDatabase("import");
  const article = await importArticleFile(operator, bytes, options);
  await invalidateTags(article.touched); // a running server (PostgreSQL) shows it at the next request
  const where = article.status === "published" ? `published at /article/${article.slug}` : "saved as a draft";
  console.log(`Imported "${path.basename(file)}": ${where} (slug ${article.slug}).`);
} catch (error) {
  if (error instanceof ImportError) fail(`Cannot import ${file}: ${error.message}. Nothing was imported.`);
  throw error;
} finally {
  await finish();
}
