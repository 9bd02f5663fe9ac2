import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { sharedDir } from "../fixtures/shared";

// Every hostile path segment of the shared corpus, at every reader route segment: never a 5xx, never
// a leak, never an off-site redirect or an injected header, always quick (security-corpus/README.md).

const { baseUrl } = inject("e2e");
const values = fs
  .readFileSync(path.join(sharedDir, "security-corpus", "paths.txt"), "utf8")
  .split("\n")
  .filter((line) => line !== "" && !line.startsWith("#"));
const routes = ["/article/{v}", "/section/{v}", "/tag/{v}", "/author/{v}", "/{v}", "/media/{v}", "/section/{v}/feed.xml", "/og/{v}", "/sitemaps/{v}", "/_next/image?url=%2F{v}&w=64&q=75"];
const LEAKS = ["root:x:0:0", "[core]", "DATABASE_URL", "AUTH_SECRET", '"dependencies"', "PG_VERSION", "at async", "node_modules"];
const ALLOWED = new Set([200, 301, 307, 308, 400, 404, 414, 431]);

async function probe(url: string) {
  const started = Date.now();
  const response = await fetch(url, { redirect: "manual" });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, ms: Date.now() - started };
}

function expectSafe(url: string, result: Awaited<ReturnType<typeof probe>>) {
  expect(ALLOWED.has(result.status), `${url} answered ${result.status}`).toBe(true);
  for (const leak of LEAKS) expect(result.body.includes(leak), `${url} leaked ${leak}`).toBe(false);
  expect(result.headers.get("set-cookie") ?? "", `${url} set a cookie`).not.toContain("harness");
  const location = result.headers.get("location");
  if (location) expect(new URL(location, baseUrl).origin, `${url} redirected off-site`).toBe(new URL(baseUrl).origin);
  expect(result.ms, `${url} took ${result.ms} ms`).toBeLessThan(2_000);
}

describe("hostile paths", () => {
  it(`answers all ${values.length} corpus values at ${routes.length} route segments safely`, async () => {
    expect(values.length).toBeGreaterThan(50);
    for (const route of routes) {
      for (const value of values) {
        const url = `${baseUrl}${route.replace("{v}", value)}`;
        let result;
        try {
          result = await probe(url);
        } catch (error) {
          // fetch itself refuses some URLs (it will not send them); nothing reached the server
          if (error instanceof TypeError) continue;
          throw error;
        }
        expectSafe(url, result);
      }
    }
  }, 240_000);

  it("answers very long slugs and a 16 KiB URL with 404, 414 or 431, never 5xx", async () => {
    for (const length of [5_000, 100_000]) {
      for (const route of ["/article/", "/section/", "/tag/", "/author/"]) {
        const url = `${baseUrl}${route}${"a".repeat(length)}`;
        const result = await probe(url);
        expect([404, 414, 431], `${route} with ${length} characters answered ${result.status}`).toContain(result.status);
      }
    }
    const long = `${baseUrl}/search?q=${"x".repeat(16 * 1024)}`;
    expect([200, 414, 431]).toContain((await probe(long)).status);
  }, 60_000);
});
