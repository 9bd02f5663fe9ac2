import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { APPLICATION_NAME, closeDatabase, getDb, openDatabase, useDatabase } from "@/db/client";
import { articles } from "@/db/schema";
import { createArticle } from "@/lib/articles/mutations";
import { operator } from "@/lib/auth/permissions";
import { createStaffAccount } from "@/lib/staff/mutations";
import { startAppServer, type AppServer } from "../../scripts/app-server";
import { docOf } from "../fixtures/builders";
import { adminQuery, databaseUrl } from "../fixtures/database";
import { useBrowser } from "../fixtures/e2e-browser";
import { staffCookie } from "../fixtures/e2e-staff";
import { startTcpProxy } from "../fixtures/tcp-proxy";
import { payloadFor } from "../integration/editor/helpers";

// PostgreSQL going away under load, as in a restart: the server reaches it through a TCP proxy that
// drops every connection and refuses new ones until it is restored. Cached reader pages keep
// answering, /api/health says 503, an editor's save fails with a message and the editor's autosave
// saves it once the database is back, with no restart of the app. Then SIGTERM: a request in flight
// is answered before the process exits. PostgreSQL only (PGlite lives inside the process).

const context = inject("e2e");
const serverUrl = context.databaseUrl ? new URL("/postgres", context.databaseUrl).toString() : null;
const browser = useBrowser();

describe.runIf(serverUrl)("when PostgreSQL goes away and comes back", () => {
  const dbName = `magazine_faults_${randomBytes(4).toString("hex")}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-faults-"));
  const editor = { email: "fay.faults@e2e.example", password: "granite-willow-beacon-39", name: "Fay Faults" };
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let server: AppServer;
  let cookie: string;

  beforeAll(async () => {
    await adminQuery(serverUrl!, `create database ${dbName}`);
    const direct = new URL(databaseUrl(serverUrl!, dbName));
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    server = await startAppServer({
      env: { DATABASE_URL: viaProxy.toString(), SEED_DEMO_CONTENT: "true", DATA_DIR: dataDir, AUTH_SECRET: randomBytes(32).toString("base64url"), TRUST_PROXY: "true" },
      logFile: path.join(dataDir, "server.log"),
    });
    // one connection, so the count of the app's connections below can leave out just this one
    useDatabase(await openDatabase({ kind: "postgres", url: direct.toString(), poolSize: 1 }));
    await createStaffAccount(operator, { ...editor, role: "editor" });
    cookie = await staffCookie(server.url, editor);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.stop();
    await closeDatabase();
    await adminQuery(serverUrl!, `drop database if exists ${dbName} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves cached pages, says 503 on health and on saves, and carries on by itself when it is back; autosave loses nothing", async () => {
    const title = "Tide tables reprinted after the storm";
    const created = await createArticle(operator, { title, dek: "A draft open during the outage.", body: docOf("The printers worked through the night."), section: "world" });
    const readerPages = ["/", "/section/world", "/feed.xml", `/article/${(await (await getDb()).query.articles.findFirst({ where: eq(articles.status, "published") }))!.slug}`];
    for (const pathname of readerPages) {
      await fetch(`${server.url}${pathname}`);
      await fetch(`${server.url}${pathname}`);
    }
    // the editor is open on the draft before the database goes
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.context().addCookies(cookie.split("; ").map((pair) => ({ name: pair.split("=")[0]!, value: pair.slice(pair.indexOf("=") + 1), url: server.url })));
    await page.goto(`${server.url}/editor/articles/${created.id}`);
    await page.getByRole("textbox", { name: "Body" }).click();

    await proxy.cut();
    try {
      // readers under load: every cached page keeps answering
      const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${server.url}${readerPages[i % readerPages.length]}`).then((r) => r.status)));
      expect(statuses.every((status) => status === 200), statuses.join(",")).toBe(true);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(503);

      // a save answers 503 with words an editor can act on
      const save = await fetch(`${server.url}/api/staff/articles/${created.id}`, {
        method: "POST",
        headers: { Origin: server.url, Cookie: cookie, "Content-Type": "application/json" },
        body: JSON.stringify({ article: await payloadFor(created.id, { title: `${title}, again` }), autosave: true }),
      });
      expect(save.status).toBe(503);
      expect(((await save.json()) as { error: string }).error).toMatch(/unavailable.*(try again|saved when)/i);

      // the editor keeps typing; autosave fails and keeps the words
      await page.keyboard.press("End");
      await page.keyboard.type(" Ink ran short by dawn.");
      await expect.poll(() => page.locator("[data-save-state]").getAttribute("data-save-state"), { timeout: 15_000 }).not.toBe("saving");
      expect(await page.locator("[data-save-state]").getAttribute("data-save-state")).not.toBe("saved");
    } finally {
      await proxy.restore();
    }

    // back with no restart: health, then the editor's retry saves what was typed
    let healthy = false;
    for (let i = 0; i < 40 && !healthy; i++) {
      healthy = (await fetch(`${server.url}/api/health`)).status === 200;
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(healthy).toBe(true);
    await expect.poll(() => page.locator("[data-save-state]").getAttribute("data-save-state"), { timeout: 30_000 }).toBe("saved");
    const [row] = await (await getDb()).select({ body: articles.body }).from(articles).where(eq(articles.id, created.id));
    expect(JSON.stringify(row?.body)).toContain("Ink ran short by dawn.");
    await page.close();

    // and publishing after the outage reaches readers at once (the invalidation listener reconnected)
    const [current] = await (await getDb()).select({ version: articles.version }).from(articles).where(eq(articles.id, created.id));
    const published = await fetch(`${server.url}/api/staff/articles/${created.id}/publish`, {
      method: "POST",
      headers: { Origin: server.url, Cookie: cookie, Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ version: String(current!.version) }),
    });
    expect(published.status, await published.clone().text()).toBe(200);
    expect(await (await fetch(`${server.url}/`)).text()).toContain(title);
  }, 120_000);

  it("SIGTERM answers the request in flight, then exits cleanly", async () => {
    // a request whose body is still arriving when the signal comes
    const slowBody = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"article":'));
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        controller.enqueue(new TextEncoder().encode("{}}"));
        controller.close();
      },
    });
    const inFlight = fetch(`${server.url}/api/staff/articles/00000000-0000-4000-8000-000000000000`, {
      method: "POST",
      headers: { Origin: server.url, Cookie: cookie, "Content-Type": "application/json" },
      body: slowBody,
      duplex: "half",
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
    server.process.kill("SIGTERM");
    const response = await inFlight;
    expect(response.status).toBe(404); // answered (no such article), not cut off
    expect(await exited).toBe(0);
    // the pool and the invalidation listener were closed: none of the app's connections is left
    const appConnections = async () =>
      (await (await getDb()).execute<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = '${dbName}' and application_name like '${APPLICATION_NAME}%' and pid <> pg_backend_pid()`)).rows[0]!.n;
    await expect.poll(appConnections, { timeout: 5_000 }).toBe(0);
  }, 30_000);
});
