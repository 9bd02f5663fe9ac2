// Run by `npm install` (postinstall). Two changes to Next.js 16's page rendering, in each of its
// server runtimes, both found in profiles of the uncached article page (`npm run bench -- --articles
// 100000`):
// 1. Before storing a rendered page, IncrementalCache.set measures the entry with JSON.stringify, to
//    enforce a 2 MB limit that applies only to fetch-cache entries without a custom cache handler. A
//    page entry holds its RSC payload and segments as Buffers, which stringify as arrays of numbers:
//    2–3 ms of CPU and as much garbage on every page render. This measures only where the limit applies.
// 2. After rendering a cacheable page at request time, Next decodes its whole RSC payload again and
//    re-encodes it segment by segment, for the client router's per-segment prefetches (about 2.5 ms
//    of a 25 ms article render, and the copies stored with the page). Reader pages link with plain
//    <a> and are never prefetched by the router, so this keeps it to the build and to Cache Components
//    routes; a segment prefetch that does come is answered with the page's whole RSC payload instead.
// Idempotent; when a Next.js upgrade no longer has the code, it says so and changes nothing.
import fs from "node:fs";
import path from "node:path";

const next = path.join(process.cwd(), "node_modules", "next", "dist");
const runtimes = ["app-page", "app-route"].flatMap((kind) => ["", "-turbo", "-experimental", "-turbo-experimental"].map((variant) => path.join(next, "compiled", "next-server", `${kind}${variant}.runtime.prod.js`)));
const edits = [
  ...runtimes.map((file) => ({
    file,
    from: "let i=JSON.stringify(t).length;if(r.fetchCache&&i>2097152",
    to: "let i=r.fetchCache&&!this.hasCustomCacheHandler?JSON.stringify(t).length:0;if(r.fetchCache&&i>2097152",
  })),
  ...["", "esm"].map((dir) => ({
    file: path.join(next, dir, "server", "lib", "incremental-cache", "index.js"),
    from: "const itemSize = JSON.stringify(data).length;",
    to: "const itemSize = ctx.fetchCache && !this.hasCustomCacheHandler ? JSON.stringify(data).length : 0;",
  })),
  ...runtimes
    .filter((file) => path.basename(file).startsWith("app-page"))
    .map((file) => ({
      file,
      from: "i.segmentData=await r.collectSegmentData(n.cacheComponents,e,d,o,c,!!n.experimental.prefetchInlining,s,m)}",
      to: "(n.isBuildTimePrerendering||n.cacheComponents)&&(i.segmentData=await r.collectSegmentData(n.cacheComponents,e,d,o,c,!!n.experimental.prefetchInlining,s,m))}",
    })),
  ...["", "esm"].map((dir) => ({
    file: path.join(next, dir, "server", "app-render", "app-render.js"),
    from: "    metadata.segmentData = await ComponentMod.collectSegmentData(",
    to: "    if (renderOpts.isBuildTimePrerendering || renderOpts.cacheComponents) metadata.segmentData = await ComponentMod.collectSegmentData(",
  })),
];

let patched = 0;
const missing = [];
for (const { file, from, to } of edits) {
  if (!fs.existsSync(file)) continue;
  const source = fs.readFileSync(file, "utf8");
  if (source.includes(to)) continue;
  if (!source.includes(from)) {
    missing.push(path.relative(process.cwd(), file));
    continue;
  }
  fs.writeFileSync(file, source.replace(from, to));
  patched++;
}
if (patched) console.log(`patch-next: page renders no longer stringify the page to measure it, nor split it into prefetch segments (${patched} edits)`);
if (missing.length) console.warn(`patch-next: Next.js has changed; left as it is: ${missing.join(", ")}`);
