import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, useDatabase } from "@/db/client";
import { LocalDiskStorage, useMediaStorage } from "@/lib/media/storage";
import { createTestDatabase } from "../fixtures/database";

let mediaDir: string;

beforeAll(async () => {
  useDatabase(await createTestDatabase(inject("databaseTemplate")));
  mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), "magazine-media-"));
  useMediaStorage(new LocalDiskStorage(mediaDir));
});

afterAll(async () => {
  await closeDatabase();
  fs.rmSync(mediaDir, { recursive: true, force: true });
});
