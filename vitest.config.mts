import path from "node:path";
import { defineConfig } from "vitest/config";
import { E2eSequencer } from "./tests/setup/e2e-sequencer.ts";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Next.js resolves `server-only` to an empty module on the server; so do the tests
      "server-only": path.join(root, "tests/fixtures/server-only.ts"),
    },
  },
  test: {
    reporters: ["default", "./tests/summary-reporter.ts"],
    // a global option: Vitest ignores a sequencer set on one project
    sequence: { sequencer: E2eSequencer },
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/database-template.ts"],
          setupFiles: ["tests/setup/integration.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.spec.ts"],
          globalSetup: ["tests/setup/e2e-server.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
