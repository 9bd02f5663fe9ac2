import type { TestProject } from "vitest/node";
import { createTemplate, dropTemplate } from "../fixtures/database";

// Migrate once per run; every test file then copies this template instead of migrating again.
export default async function setup(project: TestProject) {
  const template = await createTemplate();
  project.provide("databaseTemplate", template);
  return () => dropTemplate(template);
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplate: Awaited<ReturnType<typeof createTemplate>>;
  }
}
