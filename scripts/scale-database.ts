import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { closeDatabase, migrateDatabase, openDatabase, useDatabase, type Db } from "@/db/client";
import { seedDemoContent } from "@/db/seed";
import { bulkSeedArticles, progressBar } from "@/db/seed/bulk";
import { LocalDiskStorage, useMediaStorage } from "@/lib/media/storage";
import { PAGE_SIZE } from "@/lib/pagination";
import { adminQuery, databaseUrl } from "../tests/fixtures/database";

// A fresh database with the demo magazine plus bulk articles, for `npm run bench -- --articles N`
// and `npm run soak`: a PGlite directory under a temporary folder, or, with DATABASE_URL set, a new
// database on that PostgreSQL server (dropped by `remove`). Written by this process before the
// server starts (PGlite allows one process at a time).

export type Listing = { slug: string; pages: number };
/** What the measurements ask for: real slugs and page counts, read back from the database. */
export type ScaleTargets = { articles: string[]; sections: Listing[]; tags: Listing[]; authors: Listing[]; publicArticles: number };

export type ScaleDatabase = {
  kind: "pglite" | "postgres";
  dataDir: string;
  /** The server's environment for this database (DATA_DIR, DATABASE_URL, AUTH_SECRET…). */
  env: Record<string, string>;
  seed: { seconds: number; demoSeconds: number; bulkSeconds: number; articles: number; sizeMiB: number };
  targets: ScaleTargets;
  remove(): Promise<void>;
};

export async function readTargets(db: Db): Promise<ScaleTargets> {
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const publicRule = sql`a.status = 'published' and a.published_at <= now()`;
  const rows = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)).rows as T[];
  const [articles, sections, tags, authors, [total]] = await Promise.all([
    rows<{ slug: string }>(sql`select slug from articles a where ${publicRule} order by md5(slug) limit 1000`),
    rows<{ slug: string; n: number }>(sql`select s.slug, count(*)::int as n from sections s join articles a on a.section_id = s.id and ${publicRule} group by s.slug order by s.slug`),
    rows<{ slug: string; n: number }>(sql`select t.slug, count(*)::int as n from tags t join article_tags x on x.tag_id = t.id join articles a on a.id = x.article_id and ${publicRule} group by t.slug order by t.slug`),
    rows<{ slug: string; n: number }>(sql`select u.slug, count(*)::int as n from users u join article_authors x on x.user_id = u.id join articles a on a.id = x.article_id and ${publicRule} group by u.slug order by u.slug`),
    rows<{ n: number }>(sql`select count(*)::int as n from articles a where ${publicRule}`),
  ]);
  const listing = (r: { slug: string; n: number }) => ({ slug: r.slug, pages: pages(r.n) });
  return { articles: articles.map((a) => a.slug), sections: sections.map(listing), tags: tags.map(listing), authors: authors.map(listing), publicArticles: total?.n ?? 0 };
}

async function databaseSize(db: Db): Promise<number> {
  const [row] = (await db.execute<{ bytes: string }>(sql`select pg_database_size(current_database())::text as bytes`)).rows;
  return Number(row?.bytes ?? 0) / 1024 / 1024;
}

/** Creates, migrates and fills the database: the demo magazine (with its images), then bulk articles up to `articles` in all. */
export async function createScaleDatabase(articles: number, label = "scale"): Promise<ScaleDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `magazine-${label}-`));
  const serverUrl = process.env.DATABASE_URL || undefined;
  const dbName = `magazine_${label}_${randomBytes(3).toString("hex")}`;
  const env: Record<string, string> = { DATA_DIR: dataDir, SEED_DEMO_CONTENT: "false", AUTH_SECRET: randomBytes(32).toString("base64url"), DATABASE_URL: "" };
  if (serverUrl) {
    await adminQuery(serverUrl, `create database ${dbName}`);
    env.DATABASE_URL = databaseUrl(serverUrl, dbName);
  }
  const remove = async () => {
    await closeDatabase().catch(() => {});
    if (serverUrl) await adminQuery(serverUrl, `drop database if exists ${dbName} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    const handle = serverUrl
      ? await openDatabase({ kind: "postgres", url: env.DATABASE_URL!, poolSize: 2 })
      : await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    useDatabase(handle);
    useMediaStorage(new LocalDiskStorage(path.join(dataDir, "media")));
    process.stderr.write(`  migrating and writing the demo magazine (${handle.kind === "pglite" ? "PGlite" : "PostgreSQL"} at ${handle.location})…\n`);
    await migrateDatabase(handle);
    const demo = await seedDemoContent();
    const demoDone = performance.now();
    const bulk = await bulkSeedArticles(handle.db, {
      articles: Math.max(0, articles - demo.articles),
      onProgress: progressBar(`Seeding ${articles.toLocaleString("en")} articles (${handle.kind === "pglite" ? "PGlite" : "PostgreSQL"})`),
      onStep: (step) => process.stderr.write(`  ${step}… (${((performance.now() - started) / 1000).toFixed(1)} s)\n`),
    });
    const seconds = (performance.now() - started) / 1000;
    const targets = await readTargets(handle.db);
    const sizeMiB = await databaseSize(handle.db);
    await closeDatabase();
    return {
      kind: handle.kind,
      dataDir,
      env,
      seed: { seconds, demoSeconds: (demoDone - started) / 1000, bulkSeconds: bulk.ms / 1000, articles: demo.articles + bulk.articles, sizeMiB },
      targets,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
