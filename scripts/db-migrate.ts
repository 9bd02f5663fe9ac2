import { finish, openScriptDatabase } from "./cli";

const started = Date.now();
const handle = await openScriptDatabase("migrate the database");
console.log(`Migrations applied to ${handle.kind === "pglite" ? "PGlite at" : "PostgreSQL"} ${handle.location} in ${Date.now() - started} ms.`);
await finish();
