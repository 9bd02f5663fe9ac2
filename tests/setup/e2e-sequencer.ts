import { BaseSequencer, type TestSpecification } from "vitest/node";

// The freshness test waits for an article scheduled during setup; it must run before the clock
// passes that time, so it goes first. The staff sign-in file creates the admin account (first-run
// setup) that later staff files sign in as, so it goes second. The rest keep Vitest's order.
const FIRST = ["freshness.spec.ts", "staff-auth.spec.ts"];

export class E2eSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = FIRST.findIndex((name) => spec.moduleId.endsWith(name));
      return index === -1 ? FIRST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
