import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, getDb, migrationsFolder, openDatabase, useDatabase } from "@/db/client";
import { articles, auditLog, media } from "@/db/schema";
import { demoArticles } from "@/db/seed/demo-content";
import { createArticle } from "@/lib/articles/mutations";
import { operator } from "@/lib/auth/permissions";
import { createStaffAccount } from "@/lib/staff/mutations";
import { startAppServer, type AppServer } from "../../scripts/app-server";
import { docOf } from "../fixtures/builders";
import { adminQuery, databaseUrl } from "../fixtures/database";
import { staffCookie } from "../fixtures/e2e-staff";
import { deleteKeys, redisAnswers, TEST_REDIS_URL, testRedisPrefix } from "../fixtures/redis";
import { scheduleArticle } from "../fixtures/schedule-article";

// Several instances behind a load balancer: two production servers on different ports share one
// PostgreSQL database and one Redis (with media in the database, so no shared disk). They start
// together on an empty database; what one publishes the other shows at the next request; a page one
// rendered the other serves from the shared cache; a scheduled article is published exactly once.
// Needs PostgreSQL and Redis, so it runs in CI's PostgreSQL pass and is skipped on PGlite.

const context = inject("e2e");
const redisUp = await redisAnswers();
const serverUrl = context.databaseUrl ? new URL("/postgres", context.databaseUrl).toString() : null;

describe.runIf(serverUrl && redisUp)("two instances on one PostgreSQL and one Redis", () => {
  const dbName = `magazine_instances_${randomBytes(4).toString("hex")}`;
  const prefix = testRedisPrefix("instances");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-instances-"));
  const editor = { email: "ines.instances@e2e.example", password: "lagoon-cobalt-spindle-64", name: "Ines Instances" };
  let first: AppServer;
  let second: AppServer;
  let cookie: string;

  const get = async (server: AppServer, pathname: string) => {
    const response = await fetch(`${server.url}${pathname}`);
    return { status: response.status, cache: response.headers.get("x-nextjs-cache"), text: await response.text() };
  };
  const post = (server: AppServer, pathname: string, fields: Record<string, string>) =>
    fetch(`${server.url}${pathname}`, {
      method: "POST",
      headers: { Origin: server.url, Cookie: cookie, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  /** Requests a page on a server until that server answers it from the cache (a render right after a change is not kept). */
  const cachedOn = async (server: AppServer, pathname: string) => {
    for (let attempt = 0; attempt < 8; attempt++) {
      if ((await get(server, pathname)).cache === "HIT") return;
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    throw new Error(`${pathname} never came from the cache on ${server.url}`);
  };

  beforeAll(async () => {
    await adminQuery(serverUrl!, `create database ${dbName}`);
    const url = databaseUrl(serverUrl!, dbName);
    const env = {
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      MEDIA_STORAGE: "database",
      SEED_DEMO_CONTENT: "true",
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      TRUST_PROXY: "true",
    };
    // started together: each migrates and seeds under the start-up lock (db/client.ts whileStartupLocked)
    const start = (name: string) => startAppServer({ env: { ...env, DATA_DIR: path.join(dataDir, name) }, logFile: path.join(dataDir, `${name}.log`) });
    [first, second] = await Promise.all([start("a"), start("b")]);
    useDatabase(await openDatabase({ kind: "postgres", url, poolSize: 2 }));
    await createStaffAccount(operator, { ...editor, role: "editor" });
    cookie = await staffCookie(first.url, editor);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await closeDatabase();
    await adminQuery(serverUrl!, `drop database if exists ${dbName} with (force)`);
    const { Redis } = await import("ioredis");
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("start together on an empty database: the migrations and the demo content happen once, and media need no shared disk", async () => {
    const db = await getDb();
    const [seeded] = await db.select({ n: count() }).from(articles);
    expect(seeded?.n).toBe(demoArticles.length);
    const applied = await db.execute<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    expect(applied.rows[0]?.n).toBe(fs.readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).length);
    const [image] = await db.select({ key: media.storageKey }).from(media).limit(1);
    for (const server of [first, second]) {
      const response = await fetch(`${server.url}/media/${image!.key}`);
      expect(response.status, server.url).toBe(200);
      expect(response.headers.get("cache-control")).toContain("immutable");
    }
  });

  it("serve a page one instance rendered from the shared cache on the other's first request", async () => {
    await cachedOn(first, "/section/culture");
    expect((await get(second, "/section/culture")).cache).toBe("HIT");
    // with the lifetime it was rendered with: still fresh for the second a while later, not stale
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await get(second, "/section/culture")).cache).toBe("HIT");
  });

  it("show an article published through the first on the second's article page, front page and feed at the next request", async () => {
    const title = "Two harbours share one lighthouse keeper";
    const created = await createArticle(operator, { title, dek: "Published through one instance.", body: docOf("The keeper rows across at dusk."), section: "world" });
    for (const pathname of ["/", "/feed.xml", "/section/world"]) await cachedOn(second, pathname);
    expect((await get(second, "/")).text).not.toContain(title);
    expect((await get(second, `/article/${created.slug}`)).status).toBe(404);

    const [{ version }] = (await (await getDb()).select({ version: articles.version }).from(articles).where(eq(articles.id, created.id))) as [{ version: number }];
    const published = await post(first, `/api/staff/articles/${created.id}/publish`, { version: String(version) });
    expect(published.status, await published.clone().text()).toBe(200);

    expect((await get(second, `/article/${created.slug}`)).text).toContain(title);
    expect((await get(second, "/")).text).toContain(title);
    expect((await get(second, "/feed.xml")).text).toContain(title);
    expect((await get(second, "/section/world")).text).toContain(title);

    // and back: unpublished through the second, gone from the first at its next request
    for (const pathname of ["/", `/article/${created.slug}`]) await cachedOn(first, pathname);
    const current = await (await getDb()).select({ version: articles.version }).from(articles).where(eq(articles.id, created.id));
    const unpublished = await post(second, `/api/staff/articles/${created.id}/unpublish`, { version: String(current[0]!.version) });
    expect(unpublished.status, await unpublished.clone().text()).toBe(200);
    expect((await get(first, `/article/${created.slug}`)).status).toBe(404);
    expect((await get(first, "/")).text).not.toContain(title);
  });

  it("publish a scheduled article exactly once, on both instances' pages", async () => {
    const title = "Ferry timetable agreed by both island councils";
    const dueAt = new Date(Date.now() + 3_000);
    const slug = await scheduleArticle(title, dueAt);
    const deadline = dueAt.getTime() + 45_000;
    const shown = new Set<string>();
    while (shown.size < 2 && Date.now() < deadline) {
      for (const server of [first, second]) if ((await get(server, "/")).text.includes(title)) shown.add(server.url);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(shown.size, "both front pages show the scheduled article").toBe(2);
    const db = await getDb();
    const [row] = await db.select({ id: articles.id, status: articles.status }).from(articles).where(eq(articles.slug, slug));
    expect(row?.status).toBe("published");
    // both schedulers keep ticking; give them another round to publish it twice if they could
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const [runs] = await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.action, "article.publish_scheduled"), eq(auditLog.entityId, row!.id)));
    expect(runs?.n).toBe(1);
  }, 90_000);
});
