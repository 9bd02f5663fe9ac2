import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { demoArticles } from "@/db/seed/demo-content";
import { adminQuery, databaseUrl } from "../tests/fixtures/database";
import { startAppServer } from "./app-server";
import { benchEditor } from "./bench-editor";
import { DURATION_S, load, type Run } from "./bench-load";
import { buildNeeded, runBuild } from "./build-state";

// `npm run bench`: a production server on a fresh database with the demo magazine. Measures, with
// autocannon at concurrency 10 and 50, the cached reader pages against a static route of the same
// build (the floor), the client JavaScript each page ships, and Lighthouse (mobile) on the front and
// article pages; then the newsroom's autosave round-trip and publish-to-visible time
// (scripts/bench-editor.ts). With DATABASE_URL set, the server runs on a fresh database on that PostgreSQL server.
// `--no-lighthouse` skips the browser audits.
// `--articles N` instead measures the magazine at scale: N bulk-seeded articles, uncached render
// times, cached throughput and memory (scripts/bench-scale.ts).

// five, not three: on this 2-core machine one run in three or four lands 2-4 points low (simulated LCP
// and TBT move with the CPU time Chromium measures), and the median of five stays put
const LIGHTHOUSE_RUNS = 5;

const articlesFlag = process.argv.indexOf("--articles");
if (articlesFlag !== -1) {
  const { benchScale } = await import("./bench-scale");
  process.exit(await benchScale(process.argv[articlesFlag + 1]));
}

type Audit = { performance: number; accessibility: number; "best-practices": number; seo: number };

/**
 * One Lighthouse run (mobile, simulated throttling) in Debian's Chromium; scores out of 100. Run
 * asynchronously: a blocked event loop would miss the server closing idle keep-alive sockets, and
 * the next fetch would pick a dead one.
 */
async function lighthouse(url: string): Promise<Audit | null> {
  const out = path.join(os.tmpdir(), `magazine-lh-${randomBytes(4).toString("hex")}.json`);
  const bin = path.join(process.cwd(), "node_modules", ".bin", "lighthouse");
  const flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run";
  const run = await new Promise<{ error: Error | null; stderr: string }>((resolve) =>
    execFile(bin, [url, "--quiet", "--output=json", `--output-path=${out}`, `--chrome-flags=${flags}`], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" }, encoding: "utf8", timeout: 120_000 }, (error, _stdout, stderr) =>
      resolve({ error, stderr }),
    ),
  );
  if (run.error || !fs.existsSync(out)) {
    console.log(`  lighthouse failed on ${url}: ${(run.stderr || run.error?.message || "").split("\n")[0]}`);
    return null;
  }
  const report = JSON.parse(fs.readFileSync(out, "utf8")) as { categories: Record<string, { score: number | null }> };
  fs.rmSync(out, { force: true });
  const score = (id: string) => Math.round((report.categories[id]?.score ?? 0) * 100);
  return { performance: score("performance"), accessibility: score("accessibility"), "best-practices": score("best-practices"), seo: score("seo") };
}

/**
 * Requests every image a page shows, as Chromium asks for them, so the image optimizer has resized
 * them before Lighthouse looks: a reader after the first finds them resized, and a benchmark that
 * timed the very first resize would measure sharp, not the page.
 */
async function warmImages(url: string): Promise<void> {
  const html = await (await fetch(url)).text();
  const urls = new Set<string>();
  for (const [, attrs] of html.matchAll(/<img\b([^>]*)>/g)) {
    const src = /\ssrc="([^"]+)"/.exec(attrs!)?.[1];
    const srcSet = /\ssrc[sS]et="([^"]+)"/.exec(attrs!)?.[1];
    if (src) urls.add(src);
    for (const candidate of srcSet?.split(",") ?? []) urls.add(candidate.trim().split(/\s+/)[0]!);
  }
  for (const src of urls) {
    const image = await fetch(new URL(src.replaceAll("&amp;", "&"), url), { headers: { Accept: "image/avif,image/webp,image/apng,image/*,*/*;q=0.8" } });
    await image.arrayBuffer();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function clientJsGzip(url: string): Promise<number> {
  const html = await (await fetch(url)).text();
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  let total = 0;
  for (const src of new Set(scripts)) total += gzipSync(Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer())).byteLength;
  return total;
}

const reason = buildNeeded();
if (reason && !runBuild()) process.exit(1);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-bench-"));
const serverUrl = process.env.DATABASE_URL;
const dbName = `magazine_bench_${randomBytes(3).toString("hex")}`;
const env: Record<string, string> = { DATA_DIR: dataDir, SEED_DEMO_CONTENT: "true", AUTH_SECRET: randomBytes(32).toString("base64url"), DATABASE_URL: "" };
if (serverUrl) {
  await adminQuery(serverUrl, `create database ${dbName}`);
  env.DATABASE_URL = databaseUrl(serverUrl, dbName);
}

const logFile = path.join(dataDir, "server.log");
const startedAt = performance.now();
const server = await startAppServer({ env, logFile });
const coldStart = performance.now() - startedAt;
try {
  const article = demoArticles.reduce((longest, a) => (a.body.length > longest.body.length ? a : longest));
  const pages: Record<string, string> = {
    "static floor (/icon.svg)": "/icon.svg",
    "front page": "/",
    [`article (${article.body.length} blocks)`]: `/article/${article.slug}`,
    "section": "/section/world",
    "search": "/search?q=river",
    "feed": "/feed.xml",
  };
  const startupLine = fs.readFileSync(logFile, "utf8").match(/Database: .*/)?.[0] ?? "";
  console.log(`\nDatabase: ${serverUrl ? "PostgreSQL" : "PGlite"}; ${os.cpus().length} cores; Node ${process.version}; ${DURATION_S} s per run`);
  console.log(`Server start to healthy (fresh database: create, migrate, seed 30 articles): ${(coldStart / 1000).toFixed(1)} s`);
  console.log(`  ${startupLine}\n`);

  for (const route of Object.values(pages)) await fetch(`${server.url}${route}`); // fill the caches
  for (const route of [pages["front page"]!, `/article/${article.slug}`]) await warmImages(`${server.url}${route}`);
  // the machine is shared: each page is measured right after the floor, and compared with that run
  console.log("page                          c    req/s    p50 ms   p99 ms   vs floor  errors");
  const row = (name: string, connections: number, run: Run, ratio: string) =>
    console.log(`${name.padEnd(30)}${String(connections).padStart(2)}${run.rps.toFixed(0).padStart(9)}${run.p50.toFixed(0).padStart(10)}${run.p99.toFixed(0).padStart(9)}${ratio.padStart(11)}${String(run.errors).padStart(8)}`);
  for (const [name, route] of Object.entries(pages).filter(([, r]) => r !== "/icon.svg")) {
    for (const connections of [10, 50]) {
      const floor = await load(`${server.url}/icon.svg`, connections);
      const run = await load(`${server.url}${route}`, connections);
      row("  static floor (/icon.svg)", connections, floor, "");
      row(name, connections, run, (run.rps / floor.rps).toFixed(2));
    }
  }

  const emptyPage = await clientJsGzip(`${server.url}/no-such-page`);
  console.log(`\nClient JavaScript (gzip): empty page ${(emptyPage / 1024).toFixed(1)} kB`);
  for (const [name, route] of Object.entries(pages).filter(([, r]) => !/\.(svg|xml)$/.test(r))) {
    const size = await clientJsGzip(`${server.url}${route}`);
    console.log(`  ${name}: ${(size / 1024).toFixed(1)} kB (${size - emptyPage >= 0 ? "+" : ""}${((size - emptyPage) / 1024).toFixed(1)} kB over the empty page)`);
  }
  if (!process.argv.includes("--no-lighthouse")) {
    console.log(`\nLighthouse 12.2.3, mobile, median of ${LIGHTHOUSE_RUNS} runs (performance / accessibility / best practices / SEO):`);
    for (const [name, route] of Object.entries(pages).filter(([n]) => n === "front page" || n.startsWith("article"))) {
      const audits: Audit[] = [];
      for (let run = 0; run < LIGHTHOUSE_RUNS; run++) {
        const audit = await lighthouse(`${server.url.replace("127.0.0.1", "localhost")}${route}`);
        if (audit) audits.push(audit);
      }
      if (audits.length === 0) continue;
      const m = (key: keyof Audit) => median(audits.map((a) => a[key]));
      console.log(`  ${name}: ${m("performance")} / ${m("accessibility")} / ${m("best-practices")} / ${m("seo")}  (performance runs: ${audits.map((a) => a.performance).join(", ")})`);
    }
  }

  await benchEditor(server.url, article);

  const rss = fs.readFileSync(`/proc/${server.process.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1];
  if (rss) console.log(`\nServer RSS after the run: ${(Number(rss) / 1024).toFixed(0)} MiB`);
} finally {
  await server.stop();
  if (serverUrl) await adminQuery(serverUrl, `drop database if exists ${dbName} with (force)`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
