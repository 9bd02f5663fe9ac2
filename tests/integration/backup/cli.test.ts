import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { articleAuthors, articles, auditLog, media, sections, users } from "@/db/schema";
import { backedUpTableNames } from "@/lib/backup/tables";
import { LocalDiskStorage } from "@/lib/media/storage";
import { runScript, withEmbeddedDatabase, type ScriptRun } from "../../fixtures/script-cli";
import { gradientPng, listFiles, rowsAsText } from "./helpers";

// The commands themselves, as an operator runs them, on embedded databases in temporary folders:
// export, restore into a new folder, and the refusals a person must be able to read.

const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-cli-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A refusal: exit status 1 and one line of explanation, no stack trace. */
function expectOneLineRefusal(result: ScriptRun, message: RegExp) {
  expect(result.status, result.stderr).toBe(1);
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe("npm run export / npm run restore", () => {
  it("round-trips an embedded database through a file, and refuses with one readable line (a held database, a wrong file)", { timeout: 60_000 }, async () => {
    const source = path.join(root, "source");
    const target = path.join(root, "target");
    const file = path.join(root, "magazine.jsonl.gz");

    const mediaId = randomUUID();
    await new LocalDiskStorage(path.join(source, "media")).put(`${mediaId}.png`, await gradientPng(320, 200));
    await withEmbeddedDatabase(source, async (db) => {
      const [author] = await db.insert(users).values({ email: "ada@example.test", name: "Ada", slug: "ada", role: "admin", passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA" }).returning();
      await db.insert(media).values({ id: mediaId, storageKey: `${mediaId}.png`, filename: "photo.png", mimeType: "image/png", width: 320, height: 200, bytes: 1, uploadedBy: author!.id });
      const [section] = await db.insert(sections).values({ slug: "news", name: "News" }).returning();
      const [article] = await db
        .insert(articles)
        .values({ slug: "hello", title: "Hello", body: { type: "doc", content: [] }, status: "published", publishedAt: new Date(), sectionId: section!.id, heroMediaId: mediaId, heroAlt: "A photo", createdBy: author!.id })
        .returning();
      await db.insert(articleAuthors).values({ articleId: article!.id, userId: author!.id });
      await db.insert(auditLog).values({ actorId: author!.id, action: "article.publish", entityType: "article", entityId: article!.id });
    });

    const exported = await runScript("export", [file], source);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/Exported .* to .*magazine\.jsonl\.gz .*: 1 articles, 1 people, 6 rows in all, 1 media files, without password hashes\./);

    const restored = await runScript("restore", [file], target);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored .* into .*target\/pglite .*: 1 articles, 1 people, 6 rows in all, 1 media files\./);
    expect(restored.stdout).toContain("npm run user:create -- --email EMAIL --role admin");

    const tables = backedUpTableNames();
    const before = await withEmbeddedDatabase(source, (db) => Promise.all(tables.map((t) => rowsAsText(db, t, ["password_hash"]))));
    // the restored database, held open by this test as a running server would hold it
    const held = await openDatabase({ kind: "pglite", dataDir: path.join(target, "pglite") });
    try {
      expect(await Promise.all(tables.map((t) => rowsAsText(held.db, t, ["password_hash"])))).toEqual(before);
      expectOneLineRefusal(
        await runScript("export", [path.join(root, "again.jsonl.gz")], target),
        new RegExp(`^Cannot export: The embedded database at .*target/pglite is in use by process ${process.pid} .* Stop that process first, then run this command again\\.$`),
      );
    } finally {
      await held.close();
    }
    expect(listFiles(path.join(target, "media"))).toEqual(listFiles(path.join(source, "media")));
    const [key] = listFiles(path.join(source, "media"));
    expect(fs.readFileSync(path.join(target, "media", key!)).equals(fs.readFileSync(path.join(source, "media", key!)))).toBe(true);
    expect(fs.existsSync(path.join(root, "again.jsonl.gz"))).toBe(false);

    // a library naming a file the storage lacks (the wrong MEDIA_STORAGE, a lost disk): the rest is
    // written, and the command fails saying what is missing
    const lost = randomUUID();
    await withEmbeddedDatabase(source, async (db) => {
      await db.insert(media).values({ id: lost, storageKey: `${lost}.png`, filename: "lost.png", mimeType: "image/png", width: 10, height: 10, bytes: 1 });
    });
    const short = path.join(root, "short.jsonl.gz");
    expectOneLineRefusal(await runScript("export", [short], source), new RegExp(`^Export incomplete: 1 media files named in the library are missing from storage \\(${lost}\\.png\\); .*short\\.jsonl\\.gz holds everything else\\. If this magazine keeps its media in the database, run the export with MEDIA_STORAGE=database\\.$`));
    expect(fs.existsSync(short)).toBe(true);

    fs.writeFileSync(path.join(root, "notes.txt"), "not a backup\n");
    expectOneLineRefusal(await runScript("restore", [path.join(root, "notes.txt")], path.join(root, "untouched")), /notes\.txt is not a Top One Magazine backup/);
    expect(fs.existsSync(path.join(root, "untouched"))).toBe(false); // refused before any database was made
  });
});
