import { parseArgs } from "node:util";
import { reseedDemoContent } from "@/db/seed";
import { getEnv } from "@/lib/env";
import { fail, finish, openScriptDatabase } from "./cli";

const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
if (getEnv().NODE_ENV === "production" && !values.force) {
  fail("db:seed deletes all articles, sections, tags and media. Refusing with NODE_ENV=production; pass --force if you mean it.");
}
const handle = await openScriptDatabase("reseed the database");
const started = Date.now();
const { articles } = await reseedDemoContent();
console.log(`Reseeded ${handle.location}: ${articles} demo articles in ${Date.now() - started} ms.`);
await finish();
