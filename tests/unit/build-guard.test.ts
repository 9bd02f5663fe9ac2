import { afterEach, describe, expect, it } from "vitest";
import { getDatabase } from "@/db/client";

describe("the database during next build", () => {
  afterEach(() => {
    delete process.env.NEXT_PHASE;
  });

  it("refuses to open, so a build can never touch (or corrupt) a database", () => {
    process.env.NEXT_PHASE = "phase-production-build";
    expect(() => getDatabase()).toThrow(/used during `next build`/);
  });
});
