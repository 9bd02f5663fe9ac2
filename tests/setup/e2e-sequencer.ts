import { BaseSequencer, type TestSpecification } from "vitest/node";

// The freshness test waits for an article scheduled during setup; it must run before the clock
// passes that time, so it goes first. The rest keep Vitest's order.
export class E2eSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (spec: TestSpecification) => (spec.moduleId.endsWith("freshness.spec.ts") ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}
