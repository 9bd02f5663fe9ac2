import fs from "node:fs";
import path from "node:path";

type LockOwner = { pid: number; command: string; startedAt: string };

export class DatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database at ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.startedAt}). ` +
        "PGlite allows one process per data directory: two would corrupt it.",
    );
    this.name = "DatabaseInUseError";
  }
}

/**
 * PGlite has no inter-process lock of its own, so we keep one beside the data directory.
 * Returns the release function; a lock left by a dead process is taken over.
 */
export function acquirePgliteLock(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const lockPath = `${dir}.lock`;
  const owner: LockOwner = {
    pid: process.pid,
    command: commandLine(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(owner), { flag: "wx" });
      const release = () => {
        try {
          if (readOwner(lockPath)?.pid === process.pid) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
        process.off("exit", release);
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readOwner(lockPath);
      if (current && current.pid !== process.pid && isAlive(current.pid)) throw new DatabaseInUseError(dir, current);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone (or the file is unreadable)
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no process uses ${dir}.`);
}

/** The live process holding the directory's lock, if any (without taking it). */
export function findPgliteLockOwner(dataDir: string): LockOwner | null {
  const owner = readOwner(`${path.resolve(dataDir)}.lock`);
  return owner && owner.pid !== process.pid && isAlive(owner.pid) ? owner : null;
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockOwner>;
    return typeof parsed.pid === "number" ? (parsed as LockOwner) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(): string {
  // the production server names itself (scripts/server.ts); scripts are known by their command line
  if (process.title && !/(^|\/)node$/.test(process.title)) return process.title;
  const [script, ...args] = process.argv.slice(1);
  const line = [script ? path.basename(script) : "node", ...args].join(" ");
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
