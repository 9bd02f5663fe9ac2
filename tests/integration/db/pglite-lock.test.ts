import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { DatabaseInUseError } from "@/db/pglite-lock";
import { articles } from "@/db/schema";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-lock-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// A second process opening the directory, as `npm run import` or a second server would.
function openInAnotherProcess(dataDir: string) {
  const script = `
    const { openDatabase } = await import("@/db/client");
    const handle = await openDatabase({ kind: "pglite", dataDir: ${JSON.stringify(dataDir)} });
    await handle.close();
    console.log("opened");`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
}

describe("the embedded database's process lock", () => {
  it("refuses a second process with a message naming the directory and the holder, and leaves the data intact", async () => {
    const dataDir = path.join(root, "held", "pglite");
    const handle = await openDatabase({ kind: "pglite", dataDir });
    await migrateDatabase(handle);
    await handle.db.insert(articles).values({ slug: "kept", title: "Kept", body: { type: "doc", content: [] } });

    const second = openInAnotherProcess(dataDir);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`The embedded database at ${dataDir} is in use by process ${process.pid}`);
    expect(second.stdout).not.toContain("opened");

    expect(await handle.db.select({ slug: articles.slug }).from(articles)).toEqual([{ slug: "kept" }]);
    await handle.close();
  });

  it("honours a lock held by another live process and never deletes a lock it does not own", async () => {
    const dataDir = path.join(root, "twice", "pglite");
    const handle = await openDatabase({ kind: "pglite", dataDir });
    const lockFile = `${dataDir}.lock`;
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.ppid, command: "next start", startedAt: "earlier" }));
    await handle.close(); // our release only removes a lock we own
    expect(fs.existsSync(lockFile)).toBe(true);
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(DatabaseInUseError);
    fs.rmSync(lockFile);
  });

  it("lets the next process in once the holder has closed, and takes over a lock left by a dead process", async () => {
    const dataDir = path.join(root, "handover", "pglite");
    const first = await openDatabase({ kind: "pglite", dataDir });
    await migrateDatabase(first);
    await first.close();
    expect(openInAnotherProcess(dataDir).stdout).toContain("opened");

    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, command: "crashed", startedAt: "earlier" }));
    const again = await openDatabase({ kind: "pglite", dataDir });
    await migrateDatabase(again);
    await again.close();
  });
});
