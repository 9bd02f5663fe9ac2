import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { demoArticles } from "@/db/seed/demo-content";
import { adminQuery, databaseUrl } from "../tests/fixtures/database";
import { startAppServer } from "./app-server";
import { buildNeeded, runBuild } from "./build-state";

// `npm run bench`: a production server on a fresh database with the demo magazine, then reader
// pages measured one at a time (latency) and ten at a time (throughput). With DATABASE_URL set, the
// server runs on a fresh database on that PostgreSQL server.

const SEQUENTIAL = 200;
const CONCURRENCY = 10;
const DURATION_MS = 5_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - start;
}

async function latency(url: string) {
  await timed(url); // warm
  const samples: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) samples.push(await timed(url));
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function throughput(url: string) {
  let done = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await timed(url);
        done++;
      }
    }),
  );
  return done / (DURATION_MS / 1000);
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
  const pages = { "front page /": "/", [`article (${article.body.length} blocks)`]: `/article/${article.slug}`, "health": "/api/health" };
  const firstRequest = await timed(`${server.url}/`);
  const startupLine = fs.readFileSync(logFile, "utf8").match(/Database: .*/)?.[0] ?? "";

  console.log(`\nDatabase: ${serverUrl ? "PostgreSQL" : "PGlite"}; ${os.cpus().length} cores; Node ${process.version}`);
  console.log(`Server start to healthy (fresh database: create, migrate, seed 30 articles): ${(coldStart / 1000).toFixed(1)} s`);
  console.log(`  ${startupLine}`);
  console.log(`First front-page request after start: ${firstRequest.toFixed(0)} ms\n`);
  console.log(`page                          p50 ms   p95 ms   req/s at concurrency ${CONCURRENCY}`);
  for (const [name, route] of Object.entries(pages)) {
    const { p50, p95 } = await latency(`${server.url}${route}`);
    const rps = await throughput(`${server.url}${route}`);
    console.log(`${name.padEnd(30)}${p50.toFixed(1).padStart(6)}${p95.toFixed(1).padStart(9)}${rps.toFixed(0).padStart(11)}`);
  }
  const rss = fs.readFileSync(`/proc/${server.process.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)?.[1];
  if (rss) console.log(`\nServer RSS after the run: ${(Number(rss) / 1024).toFixed(0)} MiB`);
} finally {
  await server.stop();
  if (serverUrl) await adminQuery(serverUrl, `drop database if exists ${dbName} with (force)`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
