import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GzipCache, withCompression } from "@/lib/http/compression";
import { ResponseCache } from "@/lib/http/response-cache";
import { rawRequest } from "../../fixtures/raw-http";

// The server's response cache in front of a handler shaped like Next's answers (x-nextjs-cache,
// s-maxage), behind the real compression layer, on a real HTTP server: what it answers from memory,
// what it never keeps, and how a tag expiry (the generation) or age ends an entry at once.

const page = (n: number) => `<!doctype html><p>${`Render ${n}. `.repeat(300)}</p>`;
let renders = 0;
let generation = 0;
let clock = 1_000_000;
let onRender: (() => void) | null = null;
const cache = new ResponseCache({ generation: () => generation, maxAgeMs: 30_000, now: () => clock });

const server = http.createServer(
  cache.wrap(
    withCompression((req, res) => {
      renders++;
      onRender?.();
      const url = new URL(req.url ?? "/", "http://x");
      const status = url.pathname === "/missing" ? 404 : 200;
      res.statusCode = status;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("x-nextjs-cache", url.searchParams.get("cache") ?? "HIT");
      res.setHeader("Cache-Control", url.searchParams.get("cc") ?? "s-maxage=600, stale-while-revalidate=31535400");
      res.setHeader("ETag", `"v${renders}"`);
      if (url.searchParams.has("cookie")) res.setHeader("Set-Cookie", "a=b");
      res.end(page(renders));
    }, new GzipCache(1024 * 1024)),
  ),
);
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  generation++; // a fresh cache for each test
  onRender = null;
});

const get = (path: string, headers: Record<string, string> = {}, method = "GET") => rawRequest(`${base}${path}`, headers, method);

const gzip = { "Accept-Encoding": "gzip, deflate, br" };

describe("the server's response cache", () => {
  it("answers a repeated anonymous GET from memory, with the same bytes and headers", async () => {
    const first = await get("/article/a?cache=MISS", gzip);
    const before = renders;
    const second = await get("/article/a?cache=MISS", gzip);
    expect(renders).toBe(before);
    expect(second.headers["x-response-cache"]).toBe("HIT");
    expect(second.body.equals(first.body)).toBe(true);
    expect(gunzipSync(second.body).toString()).toContain("Render");
    for (const name of ["content-type", "content-encoding", "cache-control", "etag", "vary"]) expect(second.headers[name]).toBe(first.headers[name]);
    expect(second.headers["x-nextjs-cache"]).toBe("HIT");
    expect(second.headers.date).toBeDefined();
  });

  it("keeps gzip and plain answers apart", async () => {
    await get("/article/b", gzip);
    const plain = await get("/article/b");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toContain("Render");
    const again = await get("/article/b");
    expect(again.headers["x-response-cache"]).toBe("HIT");
    expect(again.body.toString()).toBe(plain.body.toString());
  });

  it("forgets everything when a tag expires (the generation moves), and when an entry grows old", async () => {
    const first = await get("/article/c", gzip);
    generation++;
    const afterExpiry = await get("/article/c", gzip);
    expect(afterExpiry.headers["x-response-cache"]).toBeUndefined();
    expect(afterExpiry.headers.etag).not.toBe(first.headers.etag);
    expect((await get("/article/c", gzip)).headers["x-response-cache"]).toBe("HIT");
    clock += 30_001;
    expect((await get("/article/c", gzip)).headers["x-response-cache"]).toBeUndefined();
  });

  it("does not keep an answer during which a tag expired: it may be the old page", async () => {
    onRender = () => generation++;
    await get("/article/d", gzip);
    onRender = null;
    const next = await get("/article/d", gzip);
    expect(next.headers["x-response-cache"]).toBeUndefined();
  });

  it("lets staff, the router, conditional and range requests, other methods and other paths through", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["/article/e", { Cookie: "authjs.session-token=x" }, "GET"],
      ["/article/e", { Cookie: "__prerender_bypass=1" }, "GET"],
      ["/article/e", { RSC: "1" }, "GET"],
      ["/article/e", { "Next-Router-Prefetch": "1" }, "GET"],
      ["/article/e", { "If-None-Match": '"v1"' }, "GET"],
      ["/article/e", { Range: "bytes=0-10" }, "GET"],
      ["/article/e?_rsc=abc", {}, "GET"],
      ["/article/e", {}, "HEAD"],
      ["/api/health", {}, "GET"],
      ["/editor", {}, "GET"],
    ];
    for (const [path, headers, method] of cases) {
      await get(path, headers, method);
      const before = renders;
      const again = await get(path, headers, method);
      expect(again.headers["x-response-cache"], `${method} ${path} ${JSON.stringify(headers)}`).toBeUndefined();
      expect(renders, `${method} ${path} ${JSON.stringify(headers)}`).toBe(before + 1);
    }
  });

  it("never keeps stale, private, uncacheable, failed or cookie-setting answers", async () => {
    for (const path of ["/article/f?cache=STALE", "/article/f?cc=private,%20no-cache", "/article/f?cc=public,%20max-age=0", "/missing", "/article/f?cookie=1"]) {
      await get(path, gzip);
      const before = renders;
      await get(path, gzip);
      expect(renders, path).toBe(before + 1);
    }
  });

  it("stays within its memory budget, the least recently used going first", async () => {
    const small = new ResponseCache({ generation: () => 0, maxBytes: 10_000 });
    const entry = (n: number) => ({ status: 200, headers: {}, body: Buffer.alloc(1_000, n), storedAt: Date.now(), generation: 0 });
    for (let i = 0; i < 10; i++) small.store(`k${i}`, entry(i));
    expect(small.lookup("k0")).toBeDefined(); // now the most recently used
    small.store("k10", entry(10));
    expect(small.size).toBe(10);
    expect(small.lookup("k1")).toBeUndefined();
    expect(small.lookup("k0")).toBeDefined();
    small.store("big", { ...entry(0), body: Buffer.alloc(5_000) }); // over an eighth of the budget: never kept
    expect(small.lookup("big")).toBeUndefined();
  });
});
