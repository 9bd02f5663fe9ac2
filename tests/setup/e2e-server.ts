import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startAppServer, type AppServer } from "../../scripts/app-server";
import { buildNeeded, runBuild } from "../../scripts/build-state";
import { assertChromiumInstalled } from "../fixtures/browser";
import { adminQuery, databaseUrl, testServerUrl } from "../fixtures/database";
import { sharedDir } from "../fixtures/shared";

export type E2eContext = {
  baseUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  /** Slug of the sample article imported before the tests (PGlite only; with PostgreSQL a test imports it live). */
  importedSlug: string | null;
  /** An article scheduled before the server started, to appear with nobody acting (PGlite only). */
  scheduled: { title: string; slug: string; dueAt: string } | null;
  /** Pages holding the XSS corpus, written through lib/ before the tests. */
  hostile: { articles: string[]; tags: string[]; authors: string[]; section: string };
  /** An old article address that must redirect permanently to the current one. */
  redirect: { from: string; to: string };
  /** A writer with a password, written before the tests; the admin is created by the setup test. */
  writer: StaffFixture;
  /** An editor account, for the newsroom workflow tests. */
  editor: { email: string; password: string; name: string };
  /** A demo article no e2e account wrote: the authorization matrix opens it in the editor. */
  demoArticleId: string;
  /** A second writer, for the media library tests. */
  photographer: StaffFixture;
};

type StaffFixture = { email: string; password: string; name: string; slug: string; article: string };

export const SCHEDULED_TITLE = "Night ferry timetable returns after forty years";

/** Runs a TypeScript script as `npm run` would; returns its exit code and output. */
function runTsx(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs the import CLI as a user would; returns its exit code and output. */
export function runImportCli(args: string[], env: Record<string, string>) {
  return runTsx(["scripts/import.ts", ...args], env);
}

// One production build and one server for all end-to-end files, on a fresh database with demo content.
export default async function setup(project: TestProject) {
  assertChromiumInstalled();
  const reason = buildNeeded();
  if (reason) {
    console.log(`e2e: building the app (${reason})…`);
    if (!runBuild()) throw new Error("next build failed; see the output above.");
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-e2e-"));
  const logFile = path.join(dataDir, "server.log");
  const serverUrl = testServerUrl();
  const dbName = `magazine_e2e_${process.pid}_${randomBytes(3).toString("hex")}`;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    SEED_DEMO_CONTENT: "true",
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    DATABASE_URL: "",
    // files after the staff sign-in tests (which exhaust 127.0.0.1's failed sign-ins on purpose)
    // sign in from an address of their own, through X-Forwarded-For
    TRUST_PROXY: "true",
  };
  if (serverUrl) {
    await adminQuery(serverUrl, `create database ${dbName}`);
    env.DATABASE_URL = databaseUrl(serverUrl, dbName);
  }

  let server: AppServer = await startAppServer({ env, logFile });
  let importedSlug: string | null = null;
  let scheduled: E2eContext["scheduled"] = null;
  // PGlite allows one process at a time: stop the server while the fixtures are written
  if (!serverUrl) await server.stop();
  const fixtures = runTsx(["tests/fixtures/e2e-content-cli.ts"], env);
  if (fixtures.status !== 0) throw new Error(`writing the e2e fixtures failed:\n${fixtures.output}`);
  const { hostile, redirect, writer, photographer, demoArticleId, editor } = JSON.parse(fixtures.output.trim().split("\n").at(-1)!) as Pick<E2eContext, "hostile" | "redirect" | "writer" | "photographer" | "demoArticleId" | "editor">;
  if (!serverUrl) {
    const result = runImportCli([path.join(sharedDir, "seed-article.txt"), "--publish", "--source-url", "https://example.com/original"], env);
    if (result.status !== 0) throw new Error(`import failed:\n${result.output}`);
    importedSlug = /slug ([a-z0-9-]+)\)/.exec(result.output)?.[1] ?? null;
    const dueAt = new Date(Date.now() + 40_000).toISOString();
    const scheduling = runTsx(["tests/fixtures/schedule-article-cli.ts", SCHEDULED_TITLE, dueAt], env);
    if (scheduling.status !== 0) throw new Error(`scheduling failed:\n${scheduling.output}`);
    scheduled = { title: SCHEDULED_TITLE, slug: /slug ([a-z0-9-]+)/.exec(scheduling.output)![1]!, dueAt };
    server = await startAppServer({ env, logFile, port: server.port });
  }

  const context: E2eContext = { baseUrl: server.url, dataDir, databaseUrl: env.DATABASE_URL || null, importedSlug, scheduled, hostile, redirect, writer, photographer, demoArticleId, editor };
  project.provide("e2e", context);

  return async () => {
    await server.stop();
    if (serverUrl) await adminQuery(serverUrl, `drop database if exists ${dbName} with (force)`);
    if (process.env.KEEP_E2E_DATA) console.log(`e2e data kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}
