import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildAssets } from "@/lib/http/build-assets";
import { rawRequest } from "../../fixtures/raw-http";
import { readShared } from "../../fixtures/shared";

// A build folder of our own (a script, a stylesheet, a tiny file, an unknown kind) and a secret
// beside it, behind a real HTTP server whose fallback stands for Next.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-assets-"));
const staticDir = path.join(root, "static");
const script = `console.log(${JSON.stringify("a chunk of the framework ".repeat(300))});`;
fs.mkdirSync(path.join(staticDir, "chunks"), { recursive: true });
fs.writeFileSync(path.join(staticDir, "chunks", "app-1a2b.js"), script);
fs.writeFileSync(path.join(staticDir, "chunks", "site-3c4d.css"), `p{color:red}${" ".repeat(2000)}`);
fs.writeFileSync(path.join(staticDir, "chunks", "tiny.js"), "1");
fs.writeFileSync(path.join(staticDir, "chunks", "notes.unknown"), "not a kind we serve");
fs.writeFileSync(path.join(root, "secret.js"), "AUTH_SECRET=never-served"); // a kind it serves, one folder up
// and an app folder: two icons beside files that are not icons, or not at its top
const appDir = path.join(root, "app");
const iconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32"/></svg>`;
const favicon = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0]);
fs.mkdirSync(path.join(appDir, "(site)"), { recursive: true });
fs.writeFileSync(path.join(appDir, "icon.svg"), iconSvg);
fs.writeFileSync(path.join(appDir, "favicon.ico"), favicon);
fs.writeFileSync(path.join(appDir, "layout.tsx"), "export default function Layout() {}");
fs.writeFileSync(path.join(appDir, "icon.svg.bak"), "old icon");
fs.writeFileSync(path.join(appDir, "(site)", "icon.png"), "a section's own icon, Next's to serve");

const assets = new BuildAssets(staticDir, appDir);
const passedOn: string[] = [];
const server = http.createServer(
  assets.wrap((req, res) => {
    passedOn.push(req.url ?? "");
    res.writeHead(404, { "Content-Type": "text/plain" }).end("from next");
  }),
);
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

const waitForBrotli = async (url: string) => {
  for (let i = 0; i < 100; i++) {
    if ((await rawRequest(url, { "Accept-Encoding": "br" })).headers["content-encoding"] === "br") return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("Brotli never became ready");
};

describe("the build's files served from memory", () => {
  it("answers a build script with its bytes, type, an immutable cache header, an ETag and the site's security headers", async () => {
    const response = await rawRequest(`${base}/_next/static/chunks/app-1a2b.js`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(script);
    expect(response.headers).toMatchObject({
      "content-type": "application/javascript; charset=UTF-8",
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      vary: "Accept-Encoding",
      "content-length": String(Buffer.byteLength(script)),
    });
    expect(response.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("sends gzip or, once compressed, Brotli to a client that accepts them", async () => {
    const url = `${base}/_next/static/chunks/app-1a2b.js`;
    const gzip = await rawRequest(url, { "Accept-Encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    await waitForBrotli(url);
    const brotli = await rawRequest(url, { "Accept-Encoding": "gzip, deflate, br" });
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(Number(brotli.headers["content-length"])).toBe(brotli.body.byteLength);
    expect(brotliDecompressSync(brotli.body).toString()).toBe(script);
    // refused with q=0: gzip instead
    expect((await rawRequest(url, { "Accept-Encoding": "br;q=0, gzip" })).headers["content-encoding"]).toBe("gzip");
  });

  it("answers 304 to a matching If-None-Match, and HEAD without a body", async () => {
    const url = `${base}/_next/static/chunks/site-3c4d.css`;
    const first = await rawRequest(url);
    expect(first.headers["content-type"]).toBe("text/css; charset=UTF-8");
    const again = await rawRequest(url, { "If-None-Match": first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
    const head = await rawRequest(url, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
  });

  it("ignores a query string (Next adds some) and leaves a tiny file uncompressed", async () => {
    expect((await rawRequest(`${base}/_next/static/chunks/app-1a2b.js?dpl=abc`)).body.toString()).toBe(script);
    const tiny = await rawRequest(`${base}/_next/static/chunks/tiny.js`, { "Accept-Encoding": "gzip, br" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("1");
  });

  it("passes on whatever is not a file of the build it listed: other paths, unknown kinds, POSTs", async () => {
    passedOn.length = 0;
    for (const url of ["/", "/_next/static/chunks/missing.js", "/_next/static/chunks/notes.unknown", "/_next/image?url=x", "/_next/static/chunks/"]) {
      expect((await rawRequest(`${base}${url}`)).body.toString(), url).toBe("from next");
    }
    expect((await rawRequest(`${base}/_next/static/chunks/app-1a2b.js`, {}, "POST")).body.toString()).toBe("from next");
    expect(passedOn).toHaveLength(6);
  });

  it("answers the site's icons: for good at the hashed address the pages link, for a day at the bare one", async () => {
    const linked = await rawRequest(`${base}/icon.svg?icon.2n2xd7curblr0.svg`);
    expect(linked.status).toBe(200);
    expect(linked.body.toString()).toBe(iconSvg);
    expect(linked.headers).toMatchObject({ "content-type": "image/svg+xml", "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" });
    const bare = await rawRequest(`${base}/favicon.ico`);
    expect(bare.body.equals(favicon)).toBe(true);
    expect(bare.headers).toMatchObject({ "content-type": "image/x-icon", "cache-control": "public, max-age=86400" });
    expect((await rawRequest(`${base}/favicon.ico`, { "If-None-Match": bare.headers.etag! })).status).toBe(304);
    passedOn.length = 0;
    for (const url of ["/layout.tsx", "/icon.svg.bak", "/icon.png", "/(site)/icon.png", "/app/icon.svg", "/ICON.SVG"]) {
      expect((await rawRequest(`${base}${url}`)).body.toString(), url).toBe("from next");
    }
    expect(passedOn).toHaveLength(6);
  });

  it("never serves a file outside the build folder for any hostile path of the security corpus", async () => {
    const segments = readShared("security-corpus/paths.txt")
      .toString("utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#"));
    expect(segments.length).toBeGreaterThan(50);
    for (const segment of segments) {
      for (const url of [`/_next/static/${segment}`, `/_next/static/chunks/${segment}`, `/_next/static/../../${segment}`, `/${segment}`, `/icon.svg/${segment}`]) {
        const response = await new Promise<{ status: number; body: string }>((resolve) => {
          const req = http.request(`${base}${url.replace(/[\r\n]/g, "")}`, { agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          });
          req.on("error", () => resolve({ status: 0, body: "" })); // a path Node refuses to send
          req.end();
        });
        expect(response.body, url).not.toContain("AUTH_SECRET");
        // the URL parser resolves dot segments, so some paths arrive as an icon's own address
        if (response.status === 200) expect([iconSvg, favicon.toString()], url).toContain(response.body);
        else expect([0, 404], url).toContain(response.status);
      }
    }
  });
});
