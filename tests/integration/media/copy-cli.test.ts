import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { media, mediaFiles, users } from "@/db/schema";
import { LocalDiskStorage } from "@/lib/media/storage";
import { pngOf } from "./helpers";

// `npm run media:copy`, as an operator runs it before switching MEDIA_STORAGE: on an embedded
// database in a temporary folder, with a library whose file is on disk.

const root = fs.mkdtempSync(path.join(os.tmpdir(), "media-copy-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: "", MEDIA_STORAGE: "", DATA_DIR: root };
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "--conditions=react-server", "scripts/media-copy.ts", ...args], { cwd: process.cwd(), env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function withDatabase<T>(use: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(root, "pglite") });
  try {
    await migrateDatabase(handle);
    return await use(handle.db);
  } finally {
    await handle.close();
  }
}

describe("npm run media:copy", () => {
  it("copies the library's files into the database, then finds them there; refuses a storage it does not know", { timeout: 90_000 }, async () => {
    const id = randomUUID();
    const bytes = await pngOf(320, 200);
    await new LocalDiskStorage(path.join(root, "media")).put(`${id}.png`, bytes);
    await withDatabase(async (db) => {
      const [uploader] = await db.insert(users).values({ email: "copy@example.test", name: "Copy", slug: "copy", role: "admin" }).returning();
      await db.insert(media).values({ id, storageKey: `${id}.png`, filename: "photo.png", mimeType: "image/png", width: 320, height: 200, bytes: bytes.byteLength, uploadedBy: uploader!.id });
    });

    const first = await run(["--to", "database"]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Copied 1 of 1 media files into the database \(.*pglite\) in [\d.]+ s; 0 were already there\.$/m);
    expect(first.stdout).toContain("Now set MEDIA_STORAGE=database and restart the magazine.");
    const stored = await withDatabase((db) => db.select().from(mediaFiles));
    expect(stored.map((row) => row.key)).toEqual([`${id}.png`]);
    expect(Buffer.from(stored[0]!.bytes).equals(Buffer.from(bytes))).toBe(true);

    const again = await run(["--to", "database"]);
    expect(again.stdout).toMatch(/^Copied 0 of 1 media files .*; 1 were already there\.$/m);

    const wrong = await run(["--to", "cloud"]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/Say where to copy the files: --to database or --to disk\./);
    expect(wrong.stderr).not.toMatch(/^\s+at /m);
  });
});
