import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { sniffImageFormat } from "@/lib/media/image";
import { uploadMedia } from "@/lib/media/library";
import { failure, makeStaff } from "../../fixtures/builders";
import { bytesContain, EXTENSION_OF_MIME, listFiles, mediaCount, mediaRow, STORAGE_KEY, storedPath, useTempMediaStorage } from "./helpers";

// The hostile upload corpus (/work/shared/security-corpus, "Uploads") through uploadMedia with the
// real database and the real sharp: what is accepted is stored under a server-made name, really is
// the image type it claims, and carries nothing of the attack; what is refused is refused with a
// 4xx within 10 s and leaves no row and no file behind.

const CORPUS_SCRIPT = "/work/shared/security-corpus/uploads/make_uploads.sh";

type Row = { id: string; localFile: string; uploadFilename: string; claimedType: string; expect: "ACCEPT" | "REJECT" | "SAFE" | "NAME"; checks: string };

// The rows this file knows (the manifest's ids); a test below fails if the manifest gains or loses one.
const IDS = Array.from({ length: 29 }, (_, i) => `U${String(i + 1).padStart(2, "0")}`);

// NAME rows whose name the code refuses by design (the last extension is not an image's):
// "x.png%00.html" ends in .html. The SVG (SAFE) is refused the same way: SVG is not accepted at all.
const REFUSED_BY_NAME = new Set(["U24", "U03"]);

const REFUSAL_STATUSES = [400, 413, 415, 422];

const mediaDir = useTempMediaStorage();
let corpusDir = "";
const manifest = new Map<string, Row>();
let writer: Awaited<ReturnType<typeof makeStaff>>;
const outcomes = new Map<string, string>();
const PWNED = "/tmp/harness-pwned.png";
let pwnedBefore = false;

beforeAll(async () => {
  corpusDir = fs.mkdtempSync(path.join(os.tmpdir(), "upload-corpus-"));
  execFileSync("bash", [CORPUS_SCRIPT, corpusDir], { stdio: "pipe" });
  const lines = fs.readFileSync(path.join(corpusDir, "manifest.tsv"), "utf8").split("\n");
  for (const line of lines) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [id, localFile, uploadFilename, claimedType, expectation, checks] = line.split("\t");
    manifest.set(id!, { id: id!, localFile: localFile!, uploadFilename: uploadFilename!, claimedType: claimedType!, expect: expectation as Row["expect"], checks: checks ?? "" });
  }
  writer = await makeStaff("writer", "Corpus Writer");
  pwnedBefore = fs.existsSync(PWNED);
});

afterAll(() => {
  if (corpusDir) fs.rmSync(corpusDir, { recursive: true, force: true });
});

async function attempt(row: Row) {
  const bytes = new Uint8Array(fs.readFileSync(path.join(corpusDir, row.localFile)));
  const rowsBefore = await mediaCount();
  const filesBefore = listFiles(mediaDir());
  const started = performance.now();
  try {
    const stored = await uploadMedia(writer, { bytes, filename: row.uploadFilename });
    return { kind: "accepted" as const, stored, ms: performance.now() - started, rowsBefore, filesBefore };
  } catch (error) {
    return { kind: "refused" as const, error: error as Error & { status?: number }, ms: performance.now() - started, rowsBefore, filesBefore };
  }
}

type Accepted = Extract<Awaited<ReturnType<typeof attempt>>, { kind: "accepted" }>;
type Refused = Extract<Awaited<ReturnType<typeof attempt>>, { kind: "refused" }>;

async function expectRefusedCleanly(result: Refused) {
  expect(result.error, String(result.error?.stack)).toBeInstanceOf(DomainError);
  expect(REFUSAL_STATUSES).toContain(result.error.status);
  expect(result.ms).toBeLessThan(10_000);
  expect(await mediaCount()).toBe(result.rowsBefore);
  expect(listFiles(mediaDir())).toEqual(result.filesBefore);
}

async function expectStoredSafely(row: Row, result: Accepted) {
  const { stored } = result;
  expect(result.ms).toBeLessThan(10_000);
  const media = await mediaRow(stored.id);
  expect(media).toBeDefined();
  // the key is made by the server: the row's own id and an image extension, nothing from the name
  const match = STORAGE_KEY.exec(media!.storageKey);
  expect(match, media!.storageKey).not.toBeNull();
  expect(match![1]).toBe(stored.id);
  expect(match![2]).toBe(EXTENSION_OF_MIME[media!.mimeType]);
  expect(stored.url).toBe(`/media/${media!.storageKey}`);
  const base = path.basename(row.uploadFilename).replace(/\.[^.]*$/, "");
  if (base.length > 3) expect(media!.storageKey).not.toContain(base);

  // the stored original really is that type, and only new files appeared: the original and variants
  const original = new Uint8Array(fs.readFileSync(storedPath(mediaDir(), media!.storageKey)));
  const format = sniffImageFormat(original);
  expect(format && EXTENSION_OF_MIME[`image/${format}`]).toBe(EXTENSION_OF_MIME[media!.mimeType]);
  expect((await sharp(original, { animated: true }).metadata()).format).toBe(format);
  expect(media!.bytes).toBe(original.byteLength);
  const newFiles = listFiles(mediaDir()).filter((file) => !result.filesBefore.includes(file));
  const expectedKeys = [media!.storageKey, ...media!.variants.map((v) => v.key)];
  expect(newFiles.map((file) => path.basename(file)).sort()).toEqual([...expectedKeys].sort());
  expect(newFiles.every((file) => !file.endsWith(".tmp"))).toBe(true);

  // nothing of the attack survives the re-encoding, in the original or any variant
  for (const key of expectedKeys) {
    const bytes = new Uint8Array(fs.readFileSync(storedPath(mediaDir(), key)));
    for (const marker of ["HARNESS-", "alert(", "<script"]) expect(bytesContain(bytes, marker), `${key} contains ${marker}`).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.comments ?? []).toEqual([]);
  }
  for (const variant of media!.variants) {
    expect(variant.key).toMatch(new RegExp(`^${stored.id}-\\d{2,5}\\.webp$`));
    expect(sniffImageFormat(new Uint8Array(fs.readFileSync(storedPath(mediaDir(), variant.key))))).toBe("webp");
  }
  return media!;
}

describe("the hostile upload corpus through uploadMedia", () => {
  it("has exactly the manifest rows this file knows", () => {
    expect([...manifest.keys()].sort()).toEqual(IDS);
  });

  it.each(IDS)("%s", async (id) => {
    const row = manifest.get(id);
    if (!row) throw new Error(`manifest has no row ${id}`);
    const result = await attempt(row);
    outcomes.set(id, result.kind === "accepted" ? `accepted as ${result.stored.mimeType} ${result.stored.width}x${result.stored.height}` : `refused ${result.error.status}: ${result.error.message}`);

    if (row.expect === "REJECT" || REFUSED_BY_NAME.has(id)) {
      expect(result.kind, outcomes.get(id)).toBe("refused");
      await expectRefusedCleanly(result as Refused);
      if (REFUSED_BY_NAME.has(id)) expect((result as Refused).error.status).toBe(415);
      return;
    }
    if (row.expect === "SAFE" && result.kind === "refused") {
      await expectRefusedCleanly(result);
      return;
    }
    // ACCEPT and NAME rows must be accepted; SAFE rows that were accepted must be harmless
    expect(result.kind, outcomes.get(id)).toBe("accepted");
    const media = await expectStoredSafely(row, result as Accepted);

    // the name kept for display: text as typed (escaping is the renderer's job), never a path
    expect(media.filename).toBe((result as Accepted).stored.filename);
    expect(media.filename!.length).toBeLessThanOrEqual(200);
    expect(media.filename).not.toMatch(/[\\/]/);
    if (id === "U18") expect(media.filename).toBe("harness-pwned.png");
    if (id === "U19") expect(media.filename).toBe("..%2F..%2F..%2Fharness-pwned.png");
    if (id === "U20" || id === "U21") expect(media.filename).toBe(row.uploadFilename);
    if (id === "U25") {
      expect(row.uploadFilename.length).toBeGreaterThan(200);
      expect(media.filename!.length).toBeLessThanOrEqual(200);
      expect(media.filename).toMatch(/^a+…a+\.png$/);
    }
    if (id === "U29") expect(media.filename).toBe("café-東京-🙂.png");
    if (id === "U17") expect(media.mimeType).toBe("image/png"); // the claimed text/html plays no part
    if (id === "U02") expect(media.mimeType).toBe("image/jpeg");
  });

  it("wrote nothing outside the media folder (U18's ../../tmp/harness-pwned.png)", () => {
    if (!pwnedBefore) expect(fs.existsSync(PWNED)).toBe(false);
    for (const file of listFiles(mediaDir())) {
      expect(path.basename(file)).toMatch(/^[0-9a-f-]{36}(?:-\d{2,5})?\.(?:webp|jpg|png|avif|gif)$/);
    }
  });

  it("tried every row (MEDIA_CORPUS_REPORT=1 prints each outcome)", () => {
    expect(outcomes.size).toBe(IDS.length);
    if (process.env.MEDIA_CORPUS_REPORT) console.log([...outcomes].map(([id, outcome]) => `${id} ${manifest.get(id)?.expect}: ${outcome}`).join("\n"));
  });
});
