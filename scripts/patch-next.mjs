// Run by `npm install` (postinstall). One change to Next.js 16's incremental cache, in each of its
// server runtimes: before storing a rendered page, IncrementalCache.set measures the entry with
// JSON.stringify, to enforce a 2 MB limit that applies only to fetch-cache entries without a custom
// cache handler. A page entry holds its RSC payload and segments as Buffers, which stringify as
// arrays of numbers: 2–3 ms of CPU and as much garbage on every page render (seen in a profile of
// the article page; `npm run bench -- --articles 100000`). This measures only where the limit applies.
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
if (patched) console.log(`patch-next: the page cache no longer stringifies each page to measure it (${patched} files)`);
if (missing.length) console.warn(`patch-next: Next.js has changed; left as it is: ${missing.join(", ")}`);
