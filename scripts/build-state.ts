import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "db", "public", "instrumentation.ts", "proxy.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json"];

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
  const built = fs.statSync(buildId).mtimeMs;
  const changed = SOURCES.find((entry) => newestMtime(path.join(root, entry)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/** Runs `next build` with this Node; the build never opens the database. Returns false when it failed. */
export function runBuild(root = process.cwd()): boolean {
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  return result.status === 0;
}
