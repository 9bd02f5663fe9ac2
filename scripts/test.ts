import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertChromiumInstalled } from "../tests/fixtures/browser";

// `npm test`: type-check, then Vitest in two phases — unit and integration tests, then the
// end-to-end tests against a production build (alone, so timing-sensitive checks such as a
// scheduled article appearing on time get the machine to themselves). Ends with one line:
// "N passed, N failed". Extra arguments go to both Vitest runs.

const started = Date.now();
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

function finish(passed: number, failed: number, skipped: number): never {
  console.log(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

try {
  assertChromiumInstalled();
} catch (error) {
  console.error(`\n${(error as Error).message}`);
  finish(0, 1, 0);
}

console.log("Type-checking…");
if (spawnSync(bin("tsc"), ["--noEmit", "-p", "."], { stdio: "inherit" }).status !== 0) {
  console.error("\nType errors: fix them before the tests run.");
  finish(0, 1, 0);
}

const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "magazine-test-")), "summary.jsonl");
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const projects of [["unit", "integration"], ["e2e"]]) {
  const before = fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8") : "";
  const run = spawnSync(bin("vitest"), ["run", ...projects.flatMap((p) => ["--project", p]), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, MAGAZINE_TEST_SUMMARY: summaryFile },
  });
  const added = (fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8") : "").slice(before.length).trim();
  if (!added) {
    totals.failed += 1; // Vitest stopped before reporting (a crash): count it, never read it as green
    continue;
  }
  const counts = JSON.parse(added.split("\n").at(-1)!) as typeof totals;
  totals.passed += counts.passed;
  totals.skipped += counts.skipped;
  totals.failed += counts.failed + (run.status !== 0 && counts.failed === 0 ? 1 : 0);
}
finish(totals.passed, totals.failed, totals.skipped);
