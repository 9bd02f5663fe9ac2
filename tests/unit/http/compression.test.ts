import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactBuffer, GzipCache, withCompression } from "@/lib/http/compression";
import { rawRequest } from "../../fixtures/raw-http";

// A real HTTP server with handlers shaped like Next's responses: cached pages (ETag, whole body in
// one end), route handlers (s-maxage, several writes), dynamic streams, redirects, binaries, HEAD.
const page = `<!doctype html><p>${"A cached page. ".repeat(400)}</p>`;
let renders = 0;
const cache = new GzipCache(1024 * 1024);
const server = http.createServer(
  withCompression((req, res) => {
    const url = req.url ?? "/";
    if (url === "/page") {
      renders++;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.setHeader("Cache-Control", "s-maxage=600, stale-while-revalidate");
      res.setHeader("ETag", '"page-v1"');
      res.end(page);
    } else if (url === "/feed") {
      res.writeHead(200, { "Content-Type": "application/rss+xml", "Cache-Control": "s-maxage=600" });
      for (let i = 0; i < 50; i++) res.write(`<item>${i} ${"words ".repeat(20)}</item>`);
      res.end();
    } else if (url === "/stream") {
      res.writeHead(200, { "Content-Type": "text/html", "Cache-Control": "private, no-store" });
      res.write("<p>first</p>");
      setTimeout(() => res.end(`<p>${"second ".repeat(300)}</p>`), 20);
    } else if (url === "/redirect") {
      res.writeHead(308, { Location: "/page" });
      res.end();
    } else if (url === "/small") {
      res.setHeader("Content-Type", "text/plain");
      res.setHeader("Cache-Control", "public, max-age=0");
      res.end("tiny");
    } else if (url === "/image") {
      res.writeHead(200, { "Content-Type": "image/webp", "Content-Length": "2000" });
      res.end(Buffer.alloc(2000, 7));
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end(`Not found: ${"x".repeat(2000)}`);
    }
  }, cache),
);
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, headers: Record<string, string> = {}, method = "GET") => rawRequest(`${base}${path}`, headers, method);

const GZIP = { "accept-encoding": "gzip, deflate, br" };

describe("response compression", () => {
  it("gzips a cached page once and serves the stored bytes to the next reader", async () => {
    const first = await get("/page", GZIP);
    const second = await get("/page", GZIP);
    expect(first.headers["content-encoding"]).toBe("gzip");
    expect(first.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(first.headers["content-length"])).toBe(first.body.byteLength);
    expect(first.body.byteLength).toBeLessThan(page.length / 10);
    expect(gunzipSync(first.body).toString()).toBe(page);
    expect(second.body.equals(first.body)).toBe(true);
    expect(renders).toBe(2);
    expect(cache.size).toBeGreaterThan(0);
  });

  it("sends identity to a client that does not accept gzip, or refuses it with q=0", async () => {
    for (const headers of [{}, { "accept-encoding": "identity" }, { "accept-encoding": "gzip;q=0, br" }] as Record<string, string>[]) {
      const response = await get("/page", headers);
      expect(response.headers["content-encoding"]).toBeUndefined();
      expect(response.body.toString()).toBe(page);
    }
  });

  it("collects a route handler's many writes (headers given to writeHead) into one gzip", async () => {
    const response = await get("/feed", GZIP);
    expect(response.headers["content-type"]).toBe("application/rss+xml");
    expect(response.headers["content-encoding"]).toBe("gzip");
    const text = gunzipSync(response.body).toString();
    expect(text.startsWith("<item>0 ")).toBe(true);
    expect(text.match(/<item>/g)).toHaveLength(50);
  });

  it("gzips an uncacheable streamed response as it streams", async () => {
    const response = await get("/stream", GZIP);
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(response.headers["content-length"]).toBeUndefined();
    expect(gunzipSync(response.body).toString()).toBe(`<p>first</p><p>${"second ".repeat(300)}</p>`);
  });

  it("leaves redirects, small bodies, binaries and HEAD requests alone", async () => {
    const redirect = await get("/redirect", GZIP);
    expect(redirect.status).toBe(308);
    expect(redirect.headers.location).toBe("/page");
    expect(redirect.headers["content-encoding"]).toBeUndefined();

    const small = await get("/small", GZIP);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body.toString()).toBe("tiny");

    const image = await get("/image", GZIP);
    expect(image.headers["content-encoding"]).toBeUndefined();
    expect(image.body.byteLength).toBe(2000);

    const head = await get("/page", GZIP, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.body.byteLength).toBe(0);
  });

  it("compresses error pages too, keeping their status", async () => {
    const response = await get("/missing", GZIP);
    expect(response.status).toBe(404);
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(response.body).toString()).toMatch(/^Not found: x+$/);
  });

  it("evicts the least recently used bodies past its byte budget", () => {
    const small = new GzipCache(1000);
    small.set("a", Buffer.alloc(200));
    small.set("b", Buffer.alloc(200));
    small.get("a");
    for (const key of ["c", "d", "e", "f"]) small.set(key, Buffer.alloc(200));
    expect(small.get("a")).toBeDefined();
    expect(small.get("b")).toBeUndefined();
    small.set("huge", Buffer.alloc(600)); // over a quarter of the budget: never kept
    expect(small.get("huge")).toBeUndefined();
  });
});

describe("buffers kept in memory", () => {
  it("copies a small gzip out of the 16 kB chunk zlib wrote it into, so a cached body holds only its own bytes", () => {
    const small = gzipSync(Buffer.from("<p>A short page.</p>".repeat(20)));
    expect(small.buffer.byteLength).toBeGreaterThan(small.byteLength); // zlib's view into its chunk
    const kept = exactBuffer(small);
    expect(kept.buffer.byteLength).toBe(kept.byteLength);
    expect(kept.equals(small)).toBe(true);
  });

  it("keeps a buffer that already owns exactly its bytes as it is", () => {
    const owned = Buffer.allocUnsafeSlow(64).fill(7);
    expect(exactBuffer(owned)).toBe(owned);
    const pooled = Buffer.from("from the shared pool");
    expect(exactBuffer(pooled)).not.toBe(pooled);
    expect(exactBuffer(pooled).toString()).toBe("from the shared pool");
  });
});
