import type { Db } from "@/db/client";
import { DatabaseStorage, type MediaStorage } from "@/lib/media/storage";

/**
 * The storage a backup reads media from or writes it to, inside the backup's transaction. Files on
 * disk are used as they are; bytes kept in the database (MEDIA_STORAGE=database) are read from the
 * export's snapshot and written by the restore's transaction, so a failed restore takes them back
 * too. Without this, PGlite would wait forever on its own open transaction.
 */
export function storageWithin(storage: MediaStorage, tx: unknown): { storage: MediaStorage; transactional: boolean } {
  if (storage instanceof DatabaseStorage) return { storage: new DatabaseStorage(async () => tx as Db), transactional: true };
  return { storage, transactional: false };
}
