import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCompression } from "@/lib/http/compression";
import { withMovedPermanently } from "@/lib/http/moved-permanently";
import { rawRequest } from "../../fixtures/raw-http";

// Behind the real compression wrapper, as scripts/server.ts stacks them: a permanent redirect that
// Next answers 308 goes to GET and HEAD as 301, whichever way the status was set; others keep it.
const server = http.createServer(
  withMovedPermanently(
    withCompression((req, res) => {
      if (req.url === "/status-then-end") {
        res.statusCode = 308; // how Next's renderer answers permanentRedirect()
        res.setHeader("Location", "/article/new-address");
        res.end();
      } else if (req.url === "/write-head") {
        res.writeHead(308, { Location: "/article/new-address", "Content-Type": "text/plain" });
        res.end(`Moved to /article/new-address ${"padding ".repeat(200)}`);
      } else if (req.url === "/temporary") {
        res.writeHead(307, { Location: "/elsewhere" });
        res.end();
      } else {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end("ok");
      }
    }),
  ),
);
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("permanent redirects", () => {
  it("answer GET and HEAD with 301 and the same Location, with or without gzip", async () => {
    for (const path of ["/status-then-end", "/write-head"]) {
      for (const headers of [{}, { "Accept-Encoding": "gzip, br" }] as Record<string, string>[]) {
        for (const method of ["GET", "HEAD"]) {
          const response = await rawRequest(`${base}${path}`, headers, method);
          expect(response.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(301);
          expect(response.headers.location).toBe("/article/new-address");
        }
      }
    }
  });

  it("keep 308 for other methods, and leave every other status alone", async () => {
    expect((await rawRequest(`${base}/write-head`, {}, "POST")).status).toBe(308);
    expect((await rawRequest(`${base}/temporary`)).status).toBe(307);
    expect((await rawRequest(`${base}/`)).status).toBe(200);
  });
});
