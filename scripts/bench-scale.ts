import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "./app-server";
import { BROWSER_HEADERS, DURATION_S, load, percentile, rssMiB, type Run } from "./bench-load";
import { buildNeeded, runBuild } from "./build-state";
import { createScaleDatabase, type Listing, type ScaleDatabase } from "./scale-database";

// `npm run bench -- --articles N`: the magazine at scale. Bulk-seeds a fresh database (PGlite, or a
// new database on DATABASE_URL's server) with N articles, then
//   1. with caching off (PAGE_CACHE=off: every request renders and queries), sequential requests to
//      distinct pages of each kind, reporting p50/p95 response times against the targets;
//   2. with caching on, autocannon throughput at concurrency 10 and 50 (as `npm run bench` does);
//   3. the server's resident memory (VmRSS) after each phase.

const REQUESTS = Number(process.env.BENCH_REQUESTS) || 200;
// distinct pages per kind requested before measuring, and never measured: a fresh server's first few
// hundred renders are slower (the JIT, the database's caches; the article page's p95 fell from 62 ms
// over the first 100 requests to about 30 from the 300th on); what is measured is a running server
const WARM_UP = 100;
const SEED_LIMIT_S = 180;

// what readers type: single words common and rare, names, phrases, OR, exclusions, and misses
const SEARCHES = [
  "river", "glacier", '"market hall"', "library", "council", "night train", "ferry", "bread", "comet", "solar",
  "election", "school", "museum", "housing", "festival", "coffee farmers", "Bernasconi", '"Val Cresta"', "drone", "timetable",
  "rent", "startup", "battery", "hospital", "teachers", "orchestra", "wind", "flood", "vaccine", "bridge",
  "budget", "nurses", "satellite", "snow", "water", "library OR museum", "election -council", "school budget", "volcano", "chess tournament",
];
// the warm-up's searches: others than those measured
const WARM_UP_SEARCHES = ["harbour", "garden", "farm", "theatre", "forest", "tram", "bakery", "mayor", "climate", "\"city council\"", "rail OR bus", "energy -solar"];

type Target = { name: string; targetMs?: number; urls: string[]; requests?: number };
export type Timing = { name: string; targetMs?: number; count: number; p50: number; p95: number; max: number; errors: number; cpuMs: number | null };

/** The server process's CPU time so far (user + system), in ms, from /proc; null when unreadable. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
  } catch {
    return null;
  }
}

/** Deterministic shuffle, so two runs (PGlite, PostgreSQL) ask for the same pages. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Distinct listing pages, the first pages of every listing before deeper ones. */
function listingUrls(kind: string, listings: Listing[], maxPage: number, from = 1): string[] {
  const urls: string[] = [];
  for (let page = from; page <= maxPage; page++) {
    for (const listing of shuffled(listings)) if (page <= listing.pages) urls.push(page === 1 ? `/${kind}/${listing.slug}` : `/${kind}/${listing.slug}?page=${page}`);
  }
  return urls;
}

export function measuredTargets(db: Pick<ScaleDatabase, "targets">): { warmUp: Target[]; measured: Target[] } {
  const t = db.targets;
  const articles = t.articles.map((slug) => `/article/${slug}`);
  const searchUrls = (words: string[], pages: number) => Array.from({ length: pages }, (_, i) => i + 1).flatMap((page) => words.map((q) => `/search?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ""}`));
  const searches = searchUrls(SEARCHES, 5);
  const sectionPages = listingUrls("section", t.sections, 60);
  const deepSection = t.sections.flatMap((s) => [0.25, 0.5, 0.75, 1].map((f) => `/section/${s.slug}?page=${Math.min(10_000, Math.max(2, Math.floor(s.pages * f)))}`));
  const tagPages = listingUrls("tag", t.tags, 20);
  const authorPages = listingUrls("author", t.authors, 100);
  const take = (urls: string[], n = REQUESTS) => urls.slice(WARM_UP, WARM_UP + n);
  const warmUpSearches = searchUrls(WARM_UP_SEARCHES, 2);
  const measured: Target[] = [
    { name: "article page", targetMs: 30, urls: take(articles) },
    { name: "front page", targetMs: 50, urls: Array(REQUESTS).fill("/") },
    { name: "section page (pages 1-60)", targetMs: 50, urls: take(sectionPages) },
    { name: "tag page (pages 1-20)", targetMs: 50, urls: take(tagPages) },
    { name: "author page (pages 1-100)", targetMs: 50, urls: take(authorPages) },
    { name: `search (${SEARCHES.length} queries, pages 1-5)`, targetMs: 50, urls: searches },
    { name: "sitemap index", urls: Array(REQUESTS).fill("/sitemap.xml") },
    { name: "feed", urls: Array(REQUESTS).fill("/feed.xml") },
    { name: "section, deep pages (¼ to the end)", urls: deepSection, requests: deepSection.length },
    { name: "sitemap file of 50,000 URLs", urls: Array(10).fill("/sitemaps/1.xml") },
    // the floor under every page: a static file, and the site's layout alone (sections, settings)
    { name: "floor: static file (/icon.svg)", urls: Array(REQUESTS).fill("/icon.svg") },
    { name: "floor: not-found page (layout only)", urls: Array.from({ length: REQUESTS }, (_, i) => `/no-such-page-${i}`) },
  ];
  const warmUp: Target[] = [
    { name: "warm-up", urls: [...articles.slice(0, WARM_UP), ...warmUpSearches, ...sectionPages.slice(0, WARM_UP), ...tagPages.slice(0, WARM_UP), ...authorPages.slice(0, WARM_UP), "/", "/feed.xml", "/sitemap.xml", "/sitemaps/0.xml"] },
  ];
  return { warmUp, measured };
}

async function timed(url: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await fetch(url, { headers: BROWSER_HEADERS, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    await response.arrayBuffer();
    return { ms: performance.now() - started, ok: response.status === 200 || (response.status === 404 && url.includes("/no-such-page-")) };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

export async function sequential(server: AppServer, target: Target): Promise<Timing> {
  const times: number[] = [];
  let errors = 0;
  const cpuBefore = cpuMs(server.process.pid);
  for (const url of target.urls) {
    const { ms, ok } = await timed(`${server.url}${url}`);
    times.push(ms);
    if (!ok) errors++;
  }
  const cpuAfter = cpuMs(server.process.pid);
  const cpu = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / times.length : null;
  return { name: target.name, targetMs: target.targetMs, count: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), errors, cpuMs: cpu };
}

/** A progress line on stderr: redrawn in place on a terminal. */
const note = (message: string) => process.stderr.write(process.stderr.isTTY ? `\r  ${message}\x1b[K` : `  ${message}\n`);

const mib = (value: number | null) => (value === null ? "?" : `${value.toFixed(0)} MiB`);

async function startServer(db: ScaleDatabase, pageCache: "on" | "off", name: string): Promise<AppServer> {
  return startAppServer({ env: { ...db.env, PAGE_CACHE: pageCache }, logFile: path.join(db.dataDir, `server-${name}.log`), timeoutMs: 180_000 });
}

/** Runs the whole scale benchmark; returns the exit code (1 when requests failed or the database could not be made). */
export async function benchScale(articlesArg: string | undefined): Promise<number> {
  const articles = Number(articlesArg);
  if (!Number.isInteger(articles) || articles < 100) {
    console.error("--articles needs a whole number of articles, at least 100 (for example --articles 100000).");
    return 1;
  }
  const reason = buildNeeded();
  if (reason) {
    console.log(`Building the magazine (${reason})…`);
    if (!runBuild()) return 1;
  }

  const db = await createScaleDatabase(articles, "bench");
  let failed = false;
  try {
    const engine = db.kind === "pglite" ? "PGlite" : "PostgreSQL";
    const seedOk = db.seed.seconds < SEED_LIMIT_S;
    console.log(`\nDatabase: ${engine}; ${os.cpus().length} cores; Node ${process.version}`);
    console.log(
      `Seeded ${db.seed.articles.toLocaleString("en")} articles in ${db.seed.seconds.toFixed(1)} s (${seedOk ? "under" : "OVER"} ${SEED_LIMIT_S / 60} minutes): ` +
        `migrate and demo magazine ${db.seed.demoSeconds.toFixed(1)} s, bulk articles with VACUUM ANALYZE ${db.seed.bulkSeconds.toFixed(1)} s; database ${db.seed.sizeMiB.toFixed(0)} MiB`,
    );
    console.log(
      `  ${db.targets.publicArticles.toLocaleString("en")} public; ${db.targets.sections.length} sections, ${db.targets.tags.length} tags, ${db.targets.authors.length} authors; ` +
        `largest listings: section ${Math.max(...db.targets.sections.map((s) => s.pages))} pages, tag ${Math.max(...db.targets.tags.map((s) => s.pages))}, author ${Math.max(...db.targets.authors.map((s) => s.pages))}`,
    );
    if (!seedOk) failed = true;

    // 1. caching off: what one reader waits for when nothing is cached
    const { warmUp, measured } = measuredTargets(db);
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    let server = await startServer(db, "off", "uncached");
    const rss: Record<string, number | null> = {};
    const timings: Timing[] = [];
    try {
      rss["uncached server, started"] = rssMiB(server.process.pid);
      for (const target of warmUp) await sequential(server, target); // the server's own code paths, not the data
      for (const target of measured) {
        note(`measuring ${target.name}…`);
        timings.push(await sequential(server, target));
      }
      rss["uncached server, after the sequential run"] = rssMiB(server.process.pid);
    } finally {
      await server.stop();
    }
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    console.log(`\nUncached (PAGE_CACHE=off), sequential requests to distinct pages, response time in ms (load average ${loadBefore} before, ${os.loadavg()[0]!.toFixed(2)} after):`);
    console.log("page                                          n     p50     p95     max   target   server CPU/req  errors");
    for (const t of timings) {
      const verdict = t.targetMs === undefined ? "" : t.p95 < t.targetMs ? `<${t.targetMs} ok` : `<${t.targetMs} MISSED`;
      const cpu = t.cpuMs === null ? "?" : `${t.cpuMs.toFixed(1)} ms`;
      console.log(`${t.name.padEnd(42)}${String(t.count).padStart(5)}${t.p50.toFixed(1).padStart(8)}${t.p95.toFixed(1).padStart(8)}${t.max.toFixed(0).padStart(8)}${verdict.padStart(14)}${cpu.padStart(17)}${String(t.errors).padStart(8)}`);
      if (t.errors > 0) failed = true;
    }

    // 2. caching on: throughput as `npm run bench` measures it
    const slug = db.targets.articles[0]!;
    const biggest = (listings: Listing[]) => listings.reduce((a, b) => (b.pages > a.pages ? b : a)).slug;
    const pages: Record<string, string> = {
      "front page": "/",
      article: `/article/${slug}`,
      section: `/section/${biggest(db.targets.sections)}`,
      tag: `/tag/${biggest(db.targets.tags)}`,
      author: `/author/${biggest(db.targets.authors)}`,
      search: "/search?q=river",
      "sitemap index": "/sitemap.xml",
      feed: "/feed.xml",
    };
    server = await startServer(db, "on", "cached");
    const runs: { name: string; connections: number; run: Run }[] = [];
    try {
      rss["cached server, started"] = rssMiB(server.process.pid);
      for (const route of Object.values(pages)) await fetch(`${server.url}${route}`); // fill the caches
      for (const connections of [10, 50]) {
        runs.push({ name: "static floor (/icon.svg)", connections, run: await load(`${server.url}/icon.svg`, connections) });
        for (const [name, route] of Object.entries(pages)) {
          note(`loading ${name} at ${connections} connections…`);
          runs.push({ name, connections, run: await load(`${server.url}${route}`, connections) });
        }
      }
      rss["cached server, after the load"] = rssMiB(server.process.pid);
    } finally {
      await server.stop();
    }
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    console.log(`\nCached, autocannon ${DURATION_S} s per run (load average ${os.loadavg()[0]!.toFixed(2)}):`);
    console.log("page                          c    req/s    p50 ms   p99 ms  errors");
    for (const { name, connections, run } of runs) {
      console.log(`${name.padEnd(30)}${String(connections).padStart(2)}${run.rps.toFixed(0).padStart(9)}${run.p50.toFixed(0).padStart(10)}${run.p99.toFixed(0).padStart(9)}${String(run.errors).padStart(8)}`);
      if (run.errors > 0) failed = true;
    }

    console.log(`\nServer memory (VmRSS):`);
    for (const [when, value] of Object.entries(rss)) console.log(`  ${when}: ${mib(value)}`);
    const missed = timings.filter((t) => t.targetMs !== undefined && t.p95 >= t.targetMs).map((t) => t.name);
    console.log(missed.length ? `\nTargets missed: ${missed.join(", ")}` : "\nEvery uncached target met.");
  } finally {
    await db.remove();
  }
  return failed ? 1 : 0;
}
