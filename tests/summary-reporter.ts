import fs from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/** Prints the closing line CI reads: "N passed, N failed" (and skipped when any). */
export default class SummaryReporter implements Reporter {
  private started = Date.now();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: "passed" | "interrupted" | "failed") {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let counted = 0;
      for (const test of module.children.allTests()) {
        counted++;
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      // a file that failed to load (or whose hooks failed) counts as a failure, not as nothing
      if (module.errors().length > 0 || (counted === 0 && module.state() === "failed")) failed++;
    }
    failed += unhandledErrors.length;
    // a run that failed before any test (a global setup error) must not read "0 failed"
    if (reason !== "passed" && failed === 0) failed = 1;
    const summaryFile = process.env.MAGAZINE_TEST_SUMMARY;
    if (summaryFile) {
      // `npm test` runs Vitest in phases and prints one closing line for all of them
      fs.appendFileSync(summaryFile, `${JSON.stringify({ passed, failed, skipped })}\n`);
      return;
    }
    console.log(`\nThe run took ${((Date.now() - this.started) / 1000).toFixed(0)} s.`);
    console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }
}
