import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/media/[key]/route";
import { getDb } from "@/db/client";
import { mediaFiles } from "@/db/schema";
import { EnvError, parseEnv } from "@/lib/env";
import { copyMediaFiles } from "@/lib/media/copy-storage";
import { deleteMedia, uploadMedia, type StoredMedia } from "@/lib/media/library";
import { DatabaseStorage, LocalDiskStorage, mediaStorageFor, useMediaStorage, type MediaStorage } from "@/lib/media/storage";
import { makeStaff } from "../../fixtures/builders";
import { listFiles, mediaRow, pngOf } from "./helpers";

// MEDIA_STORAGE=database keeps originals and variants in the media_files table, so instances share
// no disk; and /media/* answers either storage's files with immutable caching and a strong ETag.

const key = (suffix = ".webp") => `${randomUUID()}${suffix}`;

/** Every byte value, then a pattern long enough to need TOAST: what a text round trip would mangle. */
function binary(length = 300_000): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = i < 256 ? i : (i * 7919) % 251;
  return bytes;
}

async function storedRows(prefix: string) {
  const db = await getDb();
  return db.select({ key: mediaFiles.key }).from(mediaFiles).where(like(mediaFiles.key, `${prefix}%`)).orderBy(asc(mediaFiles.key));
}

let dataDir = "";
let writer: Awaited<ReturnType<typeof makeStaff>>;
let png: Uint8Array;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "media-db-it-"));
  writer = await makeStaff("writer", "Dora Database");
  png = await pngOf(1000, 600); // with 480 and 960 px variants
});

afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("MEDIA_STORAGE", () => {
  it("defaults to disk under DATA_DIR/media; database picks the table", () => {
    expect(parseEnv({}).MEDIA_STORAGE).toBe("disk");
    expect(mediaStorageFor(parseEnv({ DATA_DIR: dataDir }))).toBeInstanceOf(LocalDiskStorage);
    expect(mediaStorageFor(parseEnv({ DATA_DIR: dataDir, MEDIA_STORAGE: "" }))).toBeInstanceOf(LocalDiskStorage);
    expect(mediaStorageFor(parseEnv({ DATA_DIR: dataDir, MEDIA_STORAGE: "database" }))).toBeInstanceOf(DatabaseStorage);
  });

  it("refuses any other value, naming the variable", () => {
    for (const value of ["s3", "Database", "db"]) {
      try {
        parseEnv({ MEDIA_STORAGE: value });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        expect((error as EnvError).problems).toEqual(['MEDIA_STORAGE: must be "disk" or "database"']);
      }
    }
  });
});

describe("DatabaseStorage", () => {
  const storage = new DatabaseStorage();

  it("gives back exactly the bytes it was given, as a Uint8Array", async () => {
    const k = key();
    const bytes = binary();
    await storage.put(k, bytes);
    const back = await storage.get(k);
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back!).equals(Buffer.from(bytes))).toBe(true);
    // a Buffer (what sharp hands over) and an empty file work as well
    const other = key(".jpg");
    await storage.put(other, Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x5c, 0x78]));
    expect([...(await storage.get(other))!]).toEqual([0xff, 0xd8, 0xff, 0x00, 0x5c, 0x78]);
    const empty = key(".gif");
    await storage.put(empty, new Uint8Array(0));
    expect((await storage.get(empty))!.byteLength).toBe(0);
  });

  it("overwrites a key in place: one row, the new bytes", async () => {
    const k = key(".png");
    await storage.put(k, new Uint8Array([1, 2, 3]));
    await storage.put(k, new Uint8Array([4, 5]));
    expect([...(await storage.get(k))!]).toEqual([4, 5]);
    expect(await storedRows(k)).toEqual([{ key: k }]);
  });

  it("answers null for an unknown key and deletes quietly what is not there", async () => {
    const k = key();
    expect(await storage.get(k)).toBeNull();
    await expect(storage.delete(k)).resolves.toBeUndefined();
  });

  it("deletes a key's row and nothing else", async () => {
    const kept = key();
    const gone = key();
    await storage.put(kept, new Uint8Array([1]));
    await storage.put(gone, new Uint8Array([2]));
    await storage.delete(gone);
    expect(await storage.get(gone)).toBeNull();
    expect(await storedRows(gone)).toEqual([]);
    expect([...(await storage.get(kept))!]).toEqual([1]);
  });

  it("refuses keys the server would not make: put and delete throw, get answers null, nothing is written", async () => {
    const db = await getDb();
    const before = await db.$count(mediaFiles);
    for (const bad of ["../etc/passwd", `${randomUUID()}.svg`, `${randomUUID()}.webp/x`, "", `${randomUUID()}.WEBP`, "x'); drop table media_files; --"]) {
      await expect(storage.put(bad, new Uint8Array([1]))).rejects.toThrow(/invalid media key/);
      await expect(storage.delete(bad)).rejects.toThrow(/invalid media key/);
      expect(await storage.get(bad)).toBeNull();
    }
    expect(await db.$count(mediaFiles)).toBe(before);
  });
});

describe("an upload with MEDIA_STORAGE=database", () => {
  beforeAll(() => {
    useMediaStorage(mediaStorageFor(parseEnv({ DATA_DIR: dataDir, MEDIA_STORAGE: "database" })));
  });

  it("keeps the original and every variant in media_files, nothing on disk; deleting removes them", async () => {
    const stored = await uploadMedia(writer, { bytes: png, filename: "table.png", alt: "Kept in the table" });
    const row = (await mediaRow(stored.id))!;
    const keys = [row.storageKey, ...row.variants.map((v) => v.key)].sort();
    expect(keys).toEqual([`${stored.id}-480.webp`, `${stored.id}-960.webp`, `${stored.id}.png`]);
    expect((await storedRows(stored.id)).map((r) => r.key)).toEqual(keys);
    const storage = new DatabaseStorage();
    expect((await storage.get(row.storageKey))!.byteLength).toBe(row.bytes);
    for (const variant of row.variants) expect((await storage.get(variant.key))!.byteLength).toBe(variant.bytes);
    expect(listFiles(dataDir)).toEqual([]);

    await deleteMedia(writer, stored.id);
    expect(await mediaRow(stored.id)).toBeUndefined();
    expect(await storedRows(stored.id)).toEqual([]);
  });

  it("a refused upload leaves no rows behind", async () => {
    const db = await getDb();
    const before = await db.$count(mediaFiles);
    await expect(uploadMedia(writer, { bytes: new TextEncoder().encode("not an image"), filename: "fake.png" })).rejects.toThrow(/not an image/);
    expect(await db.$count(mediaFiles)).toBe(before);
  });
});

const request = (url: string, headers: Record<string, string> = {}) => GET(new Request(`http://localhost${url}`, { headers }), { params: Promise.resolve({ key: url.replace(/^\/media\//, "") }) });

describe.each([
  ["disk", () => new LocalDiskStorage(path.join(dataDir, "served"))],
  ["database", () => new DatabaseStorage()],
] as [string, () => MediaStorage][])("GET /media/<key> from %s", (name, makeStorage) => {
  let stored: StoredMedia;
  let variantKey: string;

  beforeAll(async () => {
    useMediaStorage(makeStorage());
    stored = await uploadMedia(writer, { bytes: png, filename: `served-${name}.png` });
    variantKey = (await mediaRow(stored.id))!.variants[0]!.key;
  });

  it("answers the bytes with immutable caching, a strong ETag and its sandbox headers", async () => {
    const response = await request(stored.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/); // quoted, not W/: a sha-256 of the bytes
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(body.byteLength));
    expect(body.byteLength).toBe(stored.bytes);
    expect(Buffer.from(body).equals(Buffer.from((await makeStorage().get(`${stored.id}.png`))!))).toBe(true);
    // the same bytes give the same ETag (any instance, any storage); a variant has its own
    expect((await request(stored.url)).headers.get("etag")).toBe(response.headers.get("etag"));
    const variant = await request(`/media/${variantKey}`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get("content-type")).toBe("image/webp");
    expect(variant.headers.get("etag")).not.toBe(response.headers.get("etag"));
  });

  it("answers 304 without a body when If-None-Match names the ETag", async () => {
    const etag = (await request(stored.url)).headers.get("etag")!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const response = await request(stored.url, { "If-None-Match": header });
      expect(response.status, header).toBe(304);
      expect(response.body).toBeNull();
      expect(response.headers.get("etag")).toBe(etag);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    }
  });

  it("answers 200 with the bytes when If-None-Match names another ETag", async () => {
    const variantEtag = (await request(`/media/${variantKey}`)).headers.get("etag")!;
    for (const header of [variantEtag, '"stale"', etagWithoutQuotes(variantEtag)]) {
      const response = await request(stored.url, { "If-None-Match": header });
      expect(response.status, header).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(stored.bytes);
    }
  });

  it("answers 404 for an unknown or malformed key, also with If-None-Match: *", async () => {
    for (const url of [`/media/${randomUUID()}.png`, "/media/not-a-key.png", `/media/${stored.id}.svg`]) {
      const response = await request(url, { "If-None-Match": "*" });
      expect(response.status, url).toBe(404);
    }
  });

  it("answers 404 once the image is deleted", async () => {
    await deleteMedia(writer, stored.id);
    expect((await request(stored.url)).status).toBe(404);
    expect((await request(`/media/${variantKey}`)).status).toBe(404);
  });
});

function etagWithoutQuotes(etag: string): string {
  return etag.slice(1, -1);
}

describe("copying the library between storages (npm run media:copy)", () => {
  it("copies each original and variant disk → database → disk, byte for byte; a second run copies nothing; a lost file is listed", async () => {
    const disk = new LocalDiskStorage(path.join(dataDir, "switching"));
    const database = new DatabaseStorage();
    useMediaStorage(disk);
    const kept = await uploadMedia(writer, { bytes: png, filename: "switching.png" });
    const lost = await uploadMedia(writer, { bytes: png, filename: "lost.png" });
    const keysOf = async (id: string) => {
      const row = (await mediaRow(id))!;
      return [row.storageKey, ...row.variants.map((variant) => variant.key)];
    };
    const keptKeys = await keysOf(kept.id);
    const lostKeys = await keysOf(lost.id);
    expect(keptKeys).toHaveLength(3);
    for (const key of lostKeys) await disk.delete(key);
    const db = await getDb();

    const first = await copyMediaFiles(db, disk, database);
    for (const key of keptKeys) expect(Buffer.from((await database.get(key))!)).toEqual(Buffer.from((await disk.get(key))!));
    for (const key of lostKeys) expect(await database.get(key)).toBeNull();
    expect(first.missing).toEqual(expect.arrayContaining(lostKeys));
    expect(first.copied).toBeGreaterThanOrEqual(keptKeys.length);
    expect(first.files).toBe(first.copied + first.alreadyThere + first.missing.length);

    const again = await copyMediaFiles(db, disk, database);
    expect(again).toMatchObject({ copied: 0, alreadyThere: first.copied + first.alreadyThere, missing: first.missing });

    // and back, into an empty folder, as an operator leaving MEDIA_STORAGE=database would
    const emptyDisk = new LocalDiskStorage(path.join(dataDir, "back"));
    const back = await copyMediaFiles(db, database, emptyDisk);
    for (const key of keptKeys) expect(Buffer.from((await emptyDisk.get(key))!)).toEqual(Buffer.from((await database.get(key))!));
    expect(back.copied).toBe(first.copied + first.alreadyThere);
  });
});
