import "server-only";
import { inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { media } from "@/db/schema";
import { ValidationError } from "@/lib/errors";
import type { RichTextDoc } from "@/lib/rich-text/schema";

// a library file's address: /media/<the image's id>.<ext>, or a variant's /media/<id>-<width>.webp
// (the SQL function article_media_ids in db/migrations/0008_article_media.sql reads it the same way:
// change both together)
const LIBRARY_SRC = /^\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-\d+)?\.\w+$/;

/**
 * Every library image an article shows, its hero and the figures in its text, must be in the media
 * library, and stays there until this write commits (FOR SHARE: deleteMedia's lock waits, then sees
 * it in use). A restored revision, a stale tab or an imported file could otherwise name a deleted or
 * unknown image: a broken picture on the page, or a foreign-key failure instead of a clear answer.
 */
export async function checkArticleImages(tx: Tx, article: { body: RichTextDoc; heroMediaId: string | null }): Promise<void> {
  const inText = new Map<string, string>(); // media id → the alt text that names it
  for (const node of article.body.content) {
    if (node.type !== "figure") continue;
    const id = node.attrs.mediaId ?? LIBRARY_SRC.exec(node.attrs.src)?.[1];
    if (id) inText.set(id, node.attrs.alt);
  }
  const ids = [...new Set([...inText.keys(), ...(article.heroMediaId ? [article.heroMediaId] : [])])];
  if (ids.length === 0) return;
  const found = new Set((await tx.select({ id: media.id }).from(media).where(inArray(media.id, ids)).for("share")).map((row) => row.id));
  if (article.heroMediaId && !found.has(article.heroMediaId)) {
    throw new ValidationError("hero: that image is not in the media library", { hero: ["that image is not in the media library"] });
  }
  const missing = [...inText].find(([id]) => !found.has(id));
  if (missing) {
    const message = `an image in the text (“${missing[1]}”) is not in the media library (deleted, or never uploaded): remove it or choose another`;
    throw new ValidationError(`body: ${message}`, { body: [message] });
  }
}
