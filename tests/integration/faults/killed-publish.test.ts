import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type DatabaseHandle, type OpenOptions } from "@/db/client";
import { articles, auditLog } from "@/db/schema";
import { adminQuery, databaseUrl, testServerUrl } from "../../fixtures/database";

// A process killed (SIGKILL) in the middle of a publish leaves the article either published or not,
// never half: the status change, its version and its audit entry are one transaction. The publish
// runs in a child process (tests/fixtures/publish-cli.ts) against a database on disk (PGlite) or on
// the server; a trigger holds the transaction open after the article row and the audit row are
// written, and the test kills the child there. On PGlite this also shows the data directory
// recovers from the kill.

const serverUrl = testServerUrl();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-killed-"));
const dbName = `magazine_killed_${randomBytes(4).toString("hex")}`;
const options: OpenOptions = serverUrl ? { kind: "postgres", url: databaseUrl(serverUrl, dbName), poolSize: 1 } : { kind: "pglite", dataDir: path.join(dir, "pglite") };
const childEnv: Record<string, string> = serverUrl ? { DATABASE_URL: databaseUrl(serverUrl, dbName) } : { DATABASE_URL: "", PGLITE_DIR: path.join(dir, "pglite") };

afterAll(async () => {
  if (serverUrl) await adminQuery(serverUrl, `drop database if exists ${dbName} with (force)`);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(options);
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

it("leaves an article unpublished, with no audit entry, when the publishing process is killed before commit", async () => {
  if (serverUrl) await adminQuery(serverUrl, `create database ${dbName}`);
  const id = await withDatabase(async (handle) => {
    await migrateDatabase(handle);
    const [row] = await handle.db
      .insert(articles)
      .values({ slug: "tide-tables", title: "Tide tables reprinted", body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Printed overnight." }] }] } })
      .returning({ id: articles.id });
    // holds the publish's transaction open once both of its rows are written
    await handle.db.execute(sql.raw("create function hold_publish() returns trigger language plpgsql as $$ begin perform pg_sleep(60); return new; end $$"));
    await handle.db.execute(sql.raw("create trigger hold_publish after insert on audit_log for each row when (new.action = 'article.publish') execute function hold_publish()"));
    return row!.id;
  });

  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "tests/fixtures/publish-cli.ts", id, "1"], { env: { ...process.env, ...childEnv }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await expect.poll(() => output, { timeout: 30_000 }).toContain("publishing");
  // inside the transaction, in the trigger's sleep
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(output).not.toContain("published");
  child.kill("SIGKILL");
  await exited;

  const expectUnpublished = () =>
    withDatabase(async (handle) => {
      const [article] = await handle.db.select({ status: articles.status, version: articles.version, publishedAt: articles.publishedAt }).from(articles).where(eq(articles.id, id));
      expect(article).toEqual({ status: "draft", version: 1, publishedAt: null });
      expect(await handle.db.select().from(auditLog).where(eq(auditLog.entityId, id))).toEqual([]);
    });
  await expectUnpublished();
  if (serverUrl) {
    // the server notices the lost client only when the trigger's sleep ends; ending that session
    // now rolls its transaction back, as a restart would
    await adminQuery(serverUrl, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}'`);
    await expectUnpublished();
  }
}, 90_000);
