import path from "node:path";
import { demoArticles } from "@/db/seed/demo-content";
import { startAppServer, type AppServer } from "./app-server";
import { BROWSER_HEADERS, percentile, rssMiB } from "./bench-load";
import { signIn } from "./bench-editor";
import { buildNeeded, runBuild } from "./build-state";
import { createScaleDatabase, type ScaleTargets } from "./scale-database";

// `npm run soak [-- --minutes 10] [--articles 10000] [--readers 4]`: a production server on a freshly
// seeded database (PGlite, or a new database on DATABASE_URL's server) under a steady mixed load for
// a while: readers (front page, articles, sections, tags), searches, a staff member autosaving
// drafts and publishing every so often (which expires the cached pages readers then re-render).
// Counts errors (any answer but 2xx/3xx, and timeouts), samples the server's memory (VmRSS) every
// 5 s, and compares the memory in the minute after warm-up with the memory in the last minute.
// Exits 1 on any error or when memory grew by more than 10%. Not a CI test: it takes its minutes.

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} needs a positive number.`);
    process.exit(1);
  }
  return value;
}

const MINUTES = flag("minutes", 10);
const ARTICLES = flag("articles", 10_000);
const READERS = flag("readers", 4);
// the page cache (128 MB) and the gzip and response caches fill in the first minute or two at this
// load; memory is compared from there
const WARM_UP_MS = 120_000;
// Memory is compared as the median of a minute's samples, not one sample each: the server's garbage
// collector lets its heap climb 100–150 MB between full collections, so one sample at each end can
// differ by 15% without anything growing (measured: heap in use 200 → 370 → 215 MB within a minute).
const SAMPLE_MS = 5_000;
const WINDOW_MS = 60_000;
const TIMEOUT_MS = 10_000;
const SAVES_PER_PUBLISH = 40;
const MAX_GROWTH = 0.1;
const SEARCHES = ["river", "glacier", "library", "council", '"market hall"', "night train", "festival", "coffee farmers", "school budget", "library OR museum", "election -council", "volcano"];

type Kind = "front" | "article" | "section" | "tag" | "search" | "autosave" | "publish" | "new draft";
type Stats = { requests: number; errors: number; times: number[] };
const stats = new Map<Kind, Stats>();
const errorSamples: string[] = [];

function record(kind: Kind, ms: number, error: string | null) {
  const entry = stats.get(kind) ?? stats.set(kind, { requests: 0, errors: 0, times: [] }).get(kind)!;
  entry.requests++;
  entry.times.push(ms);
  if (error) {
    entry.errors++;
    if (errorSamples.length < 20) errorSamples.push(`${kind}: ${error}`);
  }
}

/** One request; an answer other than 2xx/3xx, or none within TIMEOUT_MS, is an error. */
async function request(kind: Kind, url: string, init: RequestInit = {}): Promise<Response | null> {
  const started = performance.now();
  try {
    const response = await fetch(url, { redirect: "manual", ...init, headers: { ...BROWSER_HEADERS, ...init.headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = await response.arrayBuffer();
    const ok = response.status >= 200 && response.status < 400;
    record(kind, performance.now() - started, ok ? null : `${response.status} ${init.method ?? "GET"} ${url} ${Buffer.from(body).toString("utf8").slice(0, 120)}`);
    return ok ? new Response(body.byteLength ? body : null, { status: response.status, headers: response.headers }) : null;
  } catch (error) {
    record(kind, performance.now() - started, `${(error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message} ${url}`);
    return null;
  }
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reader(base: string, targets: ScaleTargets, until: number) {
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.15) await request("front", `${base}/`);
    else if (roll < 0.6) await request("article", `${base}/article/${pick(targets.articles)}`);
    else if (roll < 0.75) {
      const section = pick(targets.sections);
      const page = 1 + Math.floor(Math.random() * Math.min(section.pages, 5));
      await request("section", `${base}/section/${section.slug}${page > 1 ? `?page=${page}` : ""}`);
    } else if (roll < 0.9) {
      const tag = pick(targets.tags);
      const page = 1 + Math.floor(Math.random() * Math.min(tag.pages, 3));
      await request("tag", `${base}/tag/${tag.slug}${page > 1 ? `?page=${page}` : ""}`);
    } else {
      await request("search", `${base}/search?q=${encodeURIComponent(pick(SEARCHES))}${Math.random() < 0.3 ? "&page=2" : ""}`);
    }
    await sleep(20 + Math.random() * 60);
  }
}

/** A staff member writing: autosaves about once a second, publishing the draft every SAVES_PER_PUBLISH saves. */
async function writer(base: string, until: number) {
  const cookie = await signIn(base);
  const headers = { Origin: base, cookie };
  const source = demoArticles.reduce((longest, a) => (a.body.length > longest.body.length ? a : longest));
  const sentences = source.body.flatMap((block) => (typeof block === "string" ? block.split(/(?<=\.)\s+/) : []));
  let drafts = 0;
  while (Date.now() < until) {
    const created = await request("new draft", `${base}/api/staff/articles`, { method: "POST", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
    const id = /\/editor\/articles\/([0-9a-f-]{36})$/.exec(created?.headers.get("location") ?? "")?.[1];
    if (!id) {
      await sleep(1_000);
      continue;
    }
    const title = `Soak story ${++drafts} (${Date.now().toString(36)})`;
    let version = 1;
    for (let i = 0; i < SAVES_PER_PUBLISH && Date.now() < until; i++) {
      const paragraphs = sentences.slice(0, 1 + (i % sentences.length)).map((text) => ({ type: "paragraph", content: [{ type: "text", text }] }));
      const article = { version, title, dek: source.dek, body: { type: "doc", content: paragraphs }, tags: ["Soak"], authorIds: [] };
      const saved = await request("autosave", `${base}/api/staff/articles/${id}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ article, autosave: true }),
      });
      const answer = saved ? ((await saved.json()) as { version?: number }) : {};
      if (answer.version) version = answer.version;
      await sleep(1_000);
    }
    if (Date.now() >= until) break;
    await request("publish", `${base}/api/staff/articles/${id}/publish`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ version: String(version) }),
    });
  }
}

const formatPercent = (from: number, to: number) => `${to >= from ? "+" : ""}${(((to - from) / from) * 100).toFixed(1)}%`;

/** The median RSS of the samples from `from` for WINDOW_MS, or null when that minute holds none. */
function windowMedian(series: { at: number; rss: number }[], from: number): number | null {
  const inWindow = series.filter((s) => s.at >= from && s.at < from + WINDOW_MS).map((s) => s.rss);
  return inWindow.length ? percentile(inWindow, 50) : null;
}

/** Prints how memory moved after warm-up; true when the last minute is more than MAX_GROWTH above the minute after warm-up. */
function reportGrowth(series: { at: number; rss: number }[], endAt: number): boolean {
  const warm = windowMedian(series, WARM_UP_MS);
  const last = windowMedian(series, endAt - WINDOW_MS + 1);
  if (warm === null || last === null || endAt - WINDOW_MS < WARM_UP_MS + WINDOW_MS) {
    console.log(`Memory not judged: the run is too short for a minute after the ${WARM_UP_MS / 1000} s warm-up and a separate last minute.`);
    return false;
  }
  const grew = (last - warm) / warm > MAX_GROWTH;
  console.log(`RSS, median of a minute: after warm-up (${WARM_UP_MS / 1000}–${(WARM_UP_MS + WINDOW_MS) / 1000} s) ${warm.toFixed(0)} MiB; last minute ${last.toFixed(0)} MiB; ${formatPercent(warm, last)} (${grew ? "MORE than" : "within"} ${MAX_GROWTH * 100}%)`);
  // caches that fill (pages, the database's buffers) grow and level off; a leak keeps growing
  const half = windowMedian(series, endAt / 2);
  if (half !== null) console.log(`  from the middle of the run to the end: ${half.toFixed(0)} → ${last.toFixed(0)} MiB, ${formatPercent(half, last)}`);
  const single = { warm: series.find((s) => s.at >= WARM_UP_MS), end: series.at(-1) };
  if (single.warm && single.end) console.log(`  single samples at ${(single.warm.at / 1000).toFixed(0)} s and ${(single.end.at / 1000).toFixed(0)} s: ${single.warm.rss.toFixed(0)} → ${single.end.rss.toFixed(0)} MiB, ${formatPercent(single.warm.rss, single.end.rss)}`);
  return grew;
}

async function main(): Promise<number> {
  const reason = buildNeeded();
  if (reason) {
    console.log(`Building the magazine (${reason})…`);
    if (!runBuild()) return 1;
  }
  const db = await createScaleDatabase(ARTICLES, "soak");
  let server: AppServer | null = null;
  try {
    const engine = db.kind === "pglite" ? "PGlite" : "PostgreSQL";
    console.log(`\nSoak: ${MINUTES} min on ${engine}, ${db.seed.articles.toLocaleString("en")} articles (seeded in ${db.seed.seconds.toFixed(0)} s); ${READERS} readers, 1 writer`);
    server = await startAppServer({ env: db.env, logFile: path.join(db.dataDir, "server.log"), timeoutMs: 180_000 });
    const pid = server.process.pid;
    const started = Date.now();
    const until = started + MINUTES * 60_000;
    const samples: { at: number; rss: number | null }[] = [];
    const sampler = setInterval(() => {
      samples.push({ at: Date.now() - started, rss: rssMiB(pid) });
      const last = samples.at(-1)!;
      if (samples.length % 2 === 0) process.stderr.write(`  ${(last.at / 1000).toFixed(0).padStart(4)} s  RSS ${last.rss?.toFixed(0) ?? "?"} MiB  requests ${[...stats.values()].reduce((n, s) => n + s.requests, 0)}  errors ${[...stats.values()].reduce((n, s) => n + s.errors, 0)}\n`);
    }, SAMPLE_MS);
    try {
      await Promise.all([...Array.from({ length: READERS }, () => reader(server!.url, db.targets, until)), writer(server.url, until)]);
    } finally {
      clearInterval(sampler);
    }
    samples.push({ at: Date.now() - started, rss: rssMiB(pid) });

    console.log("\nkind          requests  errors   p50 ms   p95 ms   max ms");
    for (const [kind, s] of stats) {
      console.log(`${kind.padEnd(14)}${String(s.requests).padStart(8)}${String(s.errors).padStart(8)}${percentile(s.times, 50).toFixed(0).padStart(9)}${percentile(s.times, 95).toFixed(0).padStart(9)}${Math.max(...s.times).toFixed(0).padStart(9)}`);
    }
    const errors = [...stats.values()].reduce((n, s) => n + s.errors, 0);
    if (errorSamples.length) console.log(`\nFirst errors:\n  ${errorSamples.join("\n  ")}`);

    const series = samples.filter((s) => s.rss !== null) as { at: number; rss: number }[];
    console.log(`\nRSS every ${SAMPLE_MS / 1000} s (MiB): ${series.map((s) => s.rss.toFixed(0)).join(" ")}`);
    const end = series.at(-1);
    const grew = end ? reportGrowth(series, end.at) : false;
    console.log(`Errors: ${errors}`);
    return errors > 0 || grew ? 1 : 0;
  } finally {
    await server?.stop();
    await db.remove();
  }
}

process.exit(await main());
