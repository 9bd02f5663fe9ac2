import http from "node:http";
import path from "node:path";
import next from "next";
import { closeDatabase } from "@/db/client";
import { pageCacheState } from "@/lib/cache/page-cache-state.cjs";
import { BuildAssets } from "@/lib/http/build-assets";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { withCompression } from "@/lib/http/compression";
import { withMovedPermanently } from "@/lib/http/moved-permanently";
import { ResponseCache } from "@/lib/http/response-cache";

// The production server: Next's request handler behind our response compression, which serves
// cached pages' gzip from memory instead of compressing them again per request (lib/http/compression).
// Run by `npm start` (scripts/start.ts) and by the tests and benchmark (scripts/app-server.ts).

// `next start` sets this before loading the app; lib/ reads it to know it runs inside Next's server
process.env.NEXT_RUNTIME ??= "nodejs";
const port = Number(process.env.PORT) || 3000;
process.title = `magazine-server:${port}`; // how the PGlite lock and ps name this process
const app = next({ dev: false, dir: process.cwd(), port });
await app.prepare();
const handle = app.getRequestHandler();
const trustProxy = /^(1|true)$/.test(process.env.TRUST_PROXY ?? "");
const compressed = withCompression((req, res) => {
  // who is asking, for sign-in throttling and the audit log; never taken from the client itself
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",")[0]?.trim();
  req.headers[CLIENT_IP_HEADER] = (trustProxy && forwarded) || req.socket.remoteAddress || "unknown";
  return handle(req, res);
});
// cached reader pages answered before Next (lib/http/response-cache.ts), unless caching is off
// (PAGE_CACHE=off, for measuring render times); its freshness follows the page cache's tag expiries
const pageCache = pageCacheState();
const responses = process.env.PAGE_CACHE === "off" ? null : new ResponseCache({ generation: () => pageCache.generation });
// and in front of everything, the build's own scripts and styles, and the site's icons, from memory
// (lib/http/build-assets.ts)
const assets = new BuildAssets(path.join(process.cwd(), ".next", "static"), path.join(process.cwd(), "app"));
// old addresses' permanent redirects as 301 (lib/http/moved-permanently.ts), outside the compression
const redirecting = withMovedPermanently(compressed);
const server = http.createServer(assets.wrap(responses ? responses.wrap(redirecting) : redirecting));
server.once("error", (error: NodeJS.ErrnoException) => {
  console.error(error.code === "EADDRINUSE" ? `\n  Port ${port} is in use by another program. Stop it, or set PORT to another port.\n` : error);
  process.exit(1);
});
server.listen(port, () => console.log(`  ▲ Next.js production server on http://localhost:${port}`));

// Stop accepting connections, let requests in flight finish, close the database (PostgreSQL's pool,
// or PGlite with its lock), then exit. A stuck request does not hold the process beyond ten seconds.
// Ctrl-C under `npm start` reaches this process twice (from the terminal, then from start.ts): one
// drain, and the repeats ignored rather than killing it midway.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      closeDatabase({ final: true }).then(
        () => process.exit(0),
        () => process.exit(0),
      );
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
