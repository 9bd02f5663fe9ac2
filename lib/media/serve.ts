import "server-only";
import { createHash } from "node:crypto";
import { getMediaStorage, isValidMediaKey, MIME_BY_EXTENSION } from "./storage";

/** The bytes, type and strong ETag of a stored media file, or null for an unknown or malformed key. */
export async function readMedia(key: string): Promise<{ bytes: Uint8Array; mimeType: string; etag: string } | null> {
  if (!isValidMediaKey(key)) return null;
  const mimeType = MIME_BY_EXTENSION[key.split(".").pop() ?? ""];
  if (!mimeType) return null;
  const bytes = await getMediaStorage().get(key);
  // a hash of the bytes, not of the key: the same on every instance and for either storage
  return bytes ? { bytes, mimeType, etag: `"${createHash("sha256").update(bytes).digest("base64url")}"` } : null;
}

/**
 * Whether an If-None-Match header names this ETag (or is `*`). The comparison is weak, as RFC 9110
 * asks for If-None-Match: W/"x" matches "x".
 */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
