import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, media } from "@/db/schema";
import { LocalDiskStorage, useMediaStorage } from "@/lib/media/storage";

// Shared by the media integration tests: storage in a temporary folder of the file's own, and
// small readers for what an upload left behind (rows, files, audit entries).

/** Points media storage at a fresh temporary folder for this test file; returns a getter for its path. */
export function useTempMediaStorage(): () => string {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "media-it-"));
    useMediaStorage(new LocalDiskStorage(dir));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Every file under `dir` (relative paths, sorted), including half-written `.tmp` files. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Where LocalDiskStorage keeps a key (a two-character folder, then the key). */
export function storedPath(dir: string, key: string): string {
  return path.join(dir, key.slice(0, 2), key);
}

export async function mediaRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(media).where(eq(media.id, id));
  return row;
}

export async function mediaCount(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(media);
  return row?.n ?? 0;
}

export async function auditEntries(action: string, entityId: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, entityId)));
}

/** A plain PNG of the given size (a gradient, so it is not trivially compressible). */
export async function pngOf(width: number, height: number): Promise<Uint8Array> {
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = (x * 7) & 0xff;
      raw[i + 1] = (y * 5) & 0xff;
      raw[i + 2] = 128;
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels } }).png().toBuffer());
}

/** The server-made storage key: a uuid (the media id) and an image extension, nothing else. */
export const STORAGE_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(jpg|png|gif|webp|avif)$/;

export const EXTENSION_OF_MIME: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
};

/** Is `inner` (a string) anywhere in the bytes, read as latin1 so binary cannot hide it? */
export function bytesContain(bytes: Uint8Array, inner: string): boolean {
  return Buffer.from(bytes).toString("latin1").toLowerCase().includes(inner.toLowerCase());
}
