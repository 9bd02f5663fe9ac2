import { spawnSync } from "node:child_process";
import path from "node:path";
import { assertChromiumInstalled } from "../tests/fixtures/browser";

// `npm test`: type-check, then every Vitest project (unit, integration, e2e) in one run, which
// ends with the line "N passed, N failed". Extra arguments go to Vitest.

const started = Date.now();
try {
  assertChromiumInstalled();
} catch (error) {
  console.error(`\n${(error as Error).message}\n`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
console.log("Type-checking…");
const typecheck = spawnSync(bin("tsc"), ["--noEmit", "-p", "."], { stdio: "inherit" });
if (typecheck.status !== 0) {
  console.error("\nType errors: fix them before the tests run.");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const tests = spawnSync(bin("vitest"), ["run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, MAGAZINE_TEST_STARTED: String(started) },
});
process.exit(tests.status ?? 1);
