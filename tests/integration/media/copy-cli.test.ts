import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { media, mediaFiles, users } from "@/db/schema";
import { LocalDiskStorage } from "@/lib/media/storage";
import { runScript, withEmbeddedDatabase } from "../../fixtures/script-cli";
import { pngOf } from "./helpers";

// `npm run media:copy`, as an operator runs it before switching MEDIA_STORAGE: on an embedded
// database in a temporary folder, with a library whose file is on disk.

const root = fs.mkdtempSync(path.join(os.tmpdir(), "media-copy-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("npm run media:copy", () => {
  it("copies the library's files into the database, then finds them there; refuses a storage it does not know", { timeout: 90_000 }, async () => {
    const id = randomUUID();
    const bytes = await pngOf(320, 200);
    await new LocalDiskStorage(path.join(root, "media")).put(`${id}.png`, bytes);
    await withEmbeddedDatabase(root, async (db) => {
      const [uploader] = await db.insert(users).values({ email: "copy@example.test", name: "Copy", slug: "copy", role: "admin" }).returning();
      await db.insert(media).values({ id, storageKey: `${id}.png`, filename: "photo.png", mimeType: "image/png", width: 320, height: 200, bytes: bytes.byteLength, uploadedBy: uploader!.id });
    });

    const first = await runScript("media-copy", ["--to", "database"], root);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Copied 1 of 1 media files into the database \(.*pglite\) in [\d.]+ s; 0 were already there\.$/m);
    expect(first.stdout).toContain("Now set MEDIA_STORAGE=database and restart the magazine.");
    const stored = await withEmbeddedDatabase(root, (db) => db.select().from(mediaFiles));
    expect(stored.map((row) => row.key)).toEqual([`${id}.png`]);
    expect(Buffer.from(stored[0]!.bytes).equals(Buffer.from(bytes))).toBe(true);

    const again = await runScript("media-copy", ["--to", "database"], root);
    expect(again.stdout).toMatch(/^Copied 0 of 1 media files .*; 1 were already there\.$/m);

    const wrong = await runScript("media-copy", ["--to", "cloud"], root);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/Say where to copy the files: --to database or --to disk\./);
    expect(wrong.stderr).not.toMatch(/^\s+at /m);
  });
});
