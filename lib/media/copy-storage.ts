import { asc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { media } from "@/db/schema";
import type { MediaStorage } from "./storage";

export type MediaCopyReport = { files: number; copied: number; alreadyThere: number; missing: string[] };

/**
 * Copies every file the media library names (each original and its variants) from one storage to
 * another, for switching MEDIA_STORAGE. A file the target already holds is left alone, so a copy
 * cut short can simply be run again; a file the source lacks is listed, never invented.
 */
export async function copyMediaFiles(db: Db, from: MediaStorage, to: MediaStorage, onProgress?: (done: number, total: number) => void): Promise<MediaCopyReport> {
  const rows = await db.select({ key: media.storageKey, variants: media.variants }).from(media).orderBy(asc(media.createdAt));
  const keys = [...new Set(rows.flatMap((row) => [row.key, ...row.variants.map((variant) => variant.key)]))];
  const report: MediaCopyReport = { files: keys.length, copied: 0, alreadyThere: 0, missing: [] };
  for (const [i, key] of keys.entries()) {
    if (await to.get(key)) {
      report.alreadyThere++;
    } else {
      const bytes = await from.get(key);
      if (bytes) {
        await to.put(key, bytes);
        report.copied++;
      } else {
        report.missing.push(key);
      }
    }
    onProgress?.(i + 1, keys.length);
  }
  return report;
}
