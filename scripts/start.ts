import { spawn } from "node:child_process";
import path from "node:path";
import { databaseOptionsFromEnv } from "@/db/client";
import { findPgliteLockOwner } from "@/db/pglite-lock";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { EnvError, getEnv } from "@/lib/env";
import { buildNeeded, runBuild, SERVER_BUNDLE, SERVER_PROCESS_ENV } from "./build-state";

// `npm start`: validate the environment, build when needed, then run the production server,
// which migrates and seeds on start (one process holds the embedded database).

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

const started = Date.now();
let env;
try {
  env = getEnv();
} catch (error) {
  if (error instanceof EnvError) fail(`${error.message}\nFix the variable (or unset it) and run npm start again.`);
  throw error;
}

const { secret, generatedAt } = resolveAuthSecret();
if (generatedAt) {
  console.warn(`warning: AUTH_SECRET is not set; using a development secret kept in ${path.relative(process.cwd(), generatedAt)}. Set AUTH_SECRET in production.`);
}

const database = databaseOptionsFromEnv();
if (database.kind === "pglite" && database.dataDir) {
  const owner = findPgliteLockOwner(database.dataDir);
  if (owner) fail(`The embedded database at ${path.resolve(database.dataDir)} is in use by process ${owner.pid} (${owner.command}).\nIs the magazine already running? Stop it first, or set PORT and PGLITE_DIR to run a second copy.`);
}

const reason = buildNeeded();
if (reason) {
  console.log(`Building the magazine (${reason}); this takes a minute or two…`);
  if (!runBuild()) fail("The build failed; see the messages above.");
}

const port = String(env.PORT ?? 3000);
const server = spawn(process.execPath, [SERVER_BUNDLE], {
  stdio: "inherit",
  env: { ...process.env, ...SERVER_PROCESS_ENV, AUTH_SECRET: secret, PORT: port, NEXT_TELEMETRY_DISABLED: "1", MAGAZINE_START_TIME: String(started) },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
