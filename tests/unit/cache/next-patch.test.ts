import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// scripts/patch-next.mjs (run by `npm install`) keeps Next.js from stringifying every rendered page
// just to measure it, and from splitting every page rendered at request time into prefetch segments.
// This checks the installed Next.js: a fresh `npm ci` that skipped the patch, or an upgrade whose code
// moved, fails here instead of silently costing each render its milliseconds.

const nextDir = path.dirname(createRequire(import.meta.url).resolve("next/package.json"));

describe("the installed Next.js incremental cache", () => {
  it("measures an entry's JSON size only where the 2 MB fetch-cache limit applies, in the runtime pages render with", () => {
    for (const runtime of ["app-page-turbo", "app-route-turbo", "app-page", "app-route"]) {
      const source = fs.readFileSync(path.join(nextDir, "dist", "compiled", "next-server", `${runtime}.runtime.prod.js`), "utf8");
      // booleans, not the sources: a failure should not print a megabyte of minified code
      expect(source.includes("let i=r.fetchCache&&!this.hasCustomCacheHandler?JSON.stringify(t).length:0;"), `${runtime} patched`).toBe(true);
      expect(source.includes("let i=JSON.stringify(t).length;"), `${runtime} unpatched`).toBe(false);
    }
  });

  it("splits a page into prefetch segments only at build time or for Cache Components routes", () => {
    for (const runtime of ["app-page-turbo", "app-page"]) {
      const source = fs.readFileSync(path.join(nextDir, "dist", "compiled", "next-server", `${runtime}.runtime.prod.js`), "utf8");
      expect(source.includes("(n.isBuildTimePrerendering||n.cacheComponents)&&(i.segmentData=await r.collectSegmentData("), `${runtime} patched`).toBe(true);
      expect(source.includes(";i.segmentData=await r.collectSegmentData("), `${runtime} unpatched`).toBe(false);
    }
  });

  it("is left as it is when run again", () => {
    const file = path.join(nextDir, "dist", "compiled", "next-server", "app-page-turbo.runtime.prod.js");
    const before = fs.readFileSync(file, "utf8");
    const run = spawnSync(process.execPath, [path.join(process.cwd(), "scripts", "patch-next.mjs")], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe(""); // nothing patched, nothing missing
    expect(fs.readFileSync(file, "utf8") === before).toBe(true);
  });
});
