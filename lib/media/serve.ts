import "server-only";
import { getMediaStorage, isValidMediaKey, MIME_BY_EXTENSION } from "./storage";

/** The bytes and type of a stored media file, or null for an unknown or malformed key. */
export async function readMedia(key: string): Promise<{ bytes: Uint8Array; mimeType: string } | null> {
  if (!isValidMediaKey(key)) return null;
  const mimeType = MIME_BY_EXTENSION[key.split(".").pop() ?? ""];
  if (!mimeType) return null;
  const bytes = await getMediaStorage().get(key);
  return bytes ? { bytes, mimeType } : null;
}
