import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildSync } from "esbuild";

const SOURCES = ["app", "components", "lib", "db", "public", "instrumentation.ts", "proxy.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json", "scripts/server.ts"];

/**
 * The production server (scripts/server.ts and the lib/ modules it imports), compiled to JavaScript
 * by the build. Run as TypeScript through tsx, every `import()` Next makes per request (its cache
 * handler, for one) crossed to tsx's loader thread and back: about 0.2 ms each, and 2 ms of a
 * request for a small file.
 */
export const SERVER_BUNDLE = path.join(".next", "magazine-server.mjs");

/**
 * What the server process's environment adds, read by glibc itself. By default glibc lets threads
 * use up to 8 malloc arenas per core, and the server's worker threads (libuv's pool gzips streamed
 * pages) each fragment their own. Measured under the soak (10,000 articles): native memory outside
 * the JavaScript heap grew by about 40 MB after the caches were full; with two arenas it did not,
 * and RSS ended about 50 MB lower.
 */
export const SERVER_PROCESS_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || "2" };

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** Why a production build is needed (none yet, or sources changed since), or null when it is current. */
export function buildNeeded(root = process.cwd()): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return "there is no production build yet";
  if (!fs.existsSync(path.join(root, SERVER_BUNDLE))) return "the server has not been compiled";
  const built = fs.statSync(buildId).mtimeMs;
  const changed = SOURCES.find((entry) => newestMtime(path.join(root, entry)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/** Runs `next build` with this Node, then compiles the server; the build never opens the database. Returns false when it failed. */
export function runBuild(root = process.cwd()): boolean {
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) return false;
  // packages stay imports of node_modules; only the project's own TypeScript is compiled in
  const compiled = buildSync({
    absWorkingDir: root,
    entryPoints: ["scripts/server.ts"],
    outfile: SERVER_BUNDLE,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
  });
  return compiled.errors.length === 0;
}
