import "server-only";
import { randomUUID } from "node:crypto";
import { and, count, desc, eq, ilike, not, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { articleMedia, articles, auditLog, media, settings, users, type MediaVariant } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { settingsShowingImage, siteImageLabel } from "@/lib/settings";
import { containsPattern } from "@/lib/text";
import { cleanFilename, filenameProblem, IMAGE_FORMATS, processImage } from "./image";
import { getMediaStorage } from "./storage";
import { imageView, type ImageView } from "./urls";
import { withoutControlCharacters } from "@/lib/text";

// The media library: uploads (checked and re-encoded by ./image), their details (alt text, caption,
// credit), search, and deletion, which is refused while anything still shows the image.

export const MEDIA_PAGE_SIZE = 24;

const detailsSchema = z.object({
  alt: z.string().overwrite(withoutControlCharacters).trim().max(500, { error: "use at most 500 characters" }),
  caption: z.string().overwrite(withoutControlCharacters).trim().max(1000, { error: "use at most 1,000 characters" }),
  credit: z.string().overwrite(withoutControlCharacters).trim().max(200, { error: "use at most 200 characters" }),
});

export type MediaDetails = z.input<typeof detailsSchema>;

function parseDetails(input: Partial<MediaDetails>) {
  const parsed = detailsSchema.safeParse({ alt: input.alt ?? "", caption: input.caption ?? "", credit: input.credit ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`);
  }
  return { alt: parsed.data.alt || null, caption: parsed.data.caption || null, credit: parsed.data.credit || null };
}

export type StoredMedia = { id: string; url: string; filename: string; width: number; height: number; mimeType: string; bytes: number; alt: string | null };

/**
 * Stores an upload for any staff member: the name is checked, the bytes checked and re-encoded, the
 * original and its variants written under server-made keys, then the row inserted. A refusal
 * writes nothing; a failed insert removes the files again.
 */
export async function uploadMedia(actor: Actor, upload: { bytes: Uint8Array; filename: string } & Partial<MediaDetails>): Promise<StoredMedia> {
  if (!can(actor, "media:upload")) throw new ForbiddenError("upload media");
  const nameProblem = filenameProblem(upload.filename);
  if (nameProblem) throw new DomainError(nameProblem, 415);
  const details = parseDetails(upload);
  const image = await processImage(upload.bytes);
  const { mimeType, extension } = IMAGE_FORMATS[image.format];
  const id = randomUUID();
  const storageKey = `${id}.${extension}`;
  const variants: MediaVariant[] = image.variants.map((v) => ({ key: `${id}-${v.width}.webp`, width: v.width, height: v.height, mimeType: "image/webp", bytes: v.bytes.byteLength }));
  const storage = getMediaStorage();
  const keys = [storageKey, ...variants.map((v) => v.key)];
  const filename = cleanFilename(upload.filename);
  try {
    await storage.put(storageKey, image.original);
    for (const [i, variant] of image.variants.entries()) await storage.put(variants[i]!.key, variant.bytes);
    const db = await getDb();
    await db.transaction(async (tx) => {
      await tx.insert(media).values({ id, storageKey, filename, mimeType, width: image.width, height: image.height, bytes: image.original.byteLength, variants, uploadedBy: actor.id, ...details });
      await tx.insert(auditLog).values({ actorId: actor.id, action: "media.upload", entityType: "media", entityId: id, details: { filename } });
    });
  } catch (error) {
    await removeFiles(keys);
    throw error;
  }
  return { id, url: `/media/${storageKey}`, filename, width: image.width, height: image.height, mimeType, bytes: image.original.byteLength, alt: details.alt };
}

async function removeFiles(keys: string[]): Promise<void> {
  const storage = getMediaStorage();
  for (const key of keys) {
    try {
      await storage.delete(key);
    } catch (error) {
      logError("media file could not be removed", error, { key });
    }
  }
}

export type MediaItem = {
  id: string;
  filename: string | null;
  image: ImageView;
  mimeType: string;
  bytes: number;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  uploadedBy: string | null;
  uploaderName: string | null;
  createdAt: Date;
  /** Shown somewhere: an article's hero or text, a profile photo, the site logo or social image. */
  inUse: boolean;
};

/**
 * Whether anything shows the library image: articles through article_media (kept by triggers, so
 * this reads an index, not every article's text), profile photos and the two site images.
 */
const mediaInUse = sql<boolean>`(
  exists (select 1 from ${articleMedia} where ${articleMedia.mediaId} = ${media.id})
  or exists (select 1 from ${users} where ${users.photoMediaId} = ${media.id})
  or exists (select 1 from ${settings} where ${settingsShowingImage(media.id)}))`;

/**
 * The library, newest first, for any staff member; `query` matches name, alt text, caption or credit;
 * `unused` keeps only images nothing shows (to tidy the library).
 */
export async function listMedia(
  actor: Actor,
  { query = "", page = 1, unused = false }: { query?: string; page?: number; unused?: boolean } = {},
): Promise<{ items: MediaItem[]; total: number; totalPages: number; page: number }> {
  if (!can(actor, "media:upload")) throw new ForbiddenError("browse the media library");
  const db = await getDb();
  const text = query.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, 200);
  let matches: SQL | undefined;
  if (text) {
    const pattern = containsPattern(text);
    matches = or(ilike(media.filename, pattern), ilike(media.alt, pattern), ilike(media.caption, pattern), ilike(media.credit, pattern));
  }
  const where = and(matches, unused ? not(mediaInUse) : undefined);
  const [total] = await db.select({ n: count() }).from(media).where(where);
  const rows = await db
    .select({ media, uploaderName: users.name, inUse: mediaInUse })
    .from(media)
    .leftJoin(users, eq(users.id, media.uploadedBy))
    .where(where)
    .orderBy(desc(media.createdAt), desc(media.id))
    .limit(MEDIA_PAGE_SIZE)
    .offset((page - 1) * MEDIA_PAGE_SIZE);
  const items = rows.map(({ media: m, uploaderName, inUse }) => ({
    id: m.id,
    filename: m.filename,
    image: imageView(m, m.alt ?? ""),
    mimeType: m.mimeType,
    bytes: m.bytes,
    alt: m.alt,
    caption: m.caption,
    credit: m.credit,
    uploadedBy: m.uploadedBy,
    uploaderName,
    createdAt: m.createdAt,
    inUse,
  }));
  const n = total?.n ?? 0;
  return { items, total: n, totalPages: Math.max(1, Math.ceil(n / MEDIA_PAGE_SIZE)), page };
}

/** Writers manage what they uploaded; editors and admins manage everything. */
export function canManageMedia(actor: Actor, uploadedBy: string | null): boolean {
  return can(actor, "media:manage") || (can(actor, "media:upload") && actor.id !== null && actor.id === uploadedBy);
}

async function findManageable(actor: Actor, id: string, action: string) {
  if (!can(actor, "media:upload")) throw new ForbiddenError(action);
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("image");
  const db = await getDb();
  const [row] = await db.select().from(media).where(eq(media.id, id));
  // only those who may manage every image learn whether one exists
  if (!row && !can(actor, "media:manage")) throw new ForbiddenError(action);
  if (!row) throw new NotFoundError("image");
  if (!canManageMedia(actor, row.uploadedBy)) throw new ForbiddenError(action);
  return row;
}

/** Saves alt text, caption and credit. Pages keep their own copies of hero alt text and captions. */
export async function updateMediaDetails(actor: Actor, id: string, input: Partial<MediaDetails>): Promise<void> {
  await findManageable(actor, id, "edit this image");
  const details = parseDetails(input);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(media).set(details).where(eq(media.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "media.update", entityType: "media", entityId: id });
  });
}

/** Where an image is shown: articles (hero or text), profile photos, the site logo or social image. */
async function mediaUses(executor: Pick<Awaited<ReturnType<typeof getDb>>, "select">, row: { id: string }): Promise<string[]> {
  const inArticles = await executor
    .select({ title: articles.title })
    .from(articleMedia)
    .innerJoin(articles, eq(articles.id, articleMedia.articleId))
    .where(eq(articleMedia.mediaId, row.id))
    .orderBy(articles.title)
    .limit(5);
  const asPhoto = await executor.select({ name: users.name }).from(users).where(eq(users.photoMediaId, row.id)).limit(5);
  const asSetting = await executor.select({ key: settings.key }).from(settings).where(settingsShowingImage(row.id));
  return [
    ...inArticles.map((a) => `the article “${a.title}”`),
    ...asPhoto.map((u) => `${u.name}’s profile photo`),
    ...asSetting.map((s) => siteImageLabel(s.key)),
  ];
}

/** Deletes an image and its files; refused (409) while anything shows it, naming what does. */
export async function deleteMedia(actor: Actor, id: string): Promise<void> {
  const row = await findManageable(actor, id, "delete this image");
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from media where id = ${id} for update`);
    const uses = await mediaUses(tx, row);
    if (uses.length > 0) throw new ConflictError(`This image is in use by ${uses.join(", ")}. Replace it there first, then delete it.`);
    await tx.delete(media).where(eq(media.id, id));
    await tx.insert(auditLog).values({ actorId: actor.id, action: "media.delete", entityType: "media", entityId: id, details: { filename: row.filename } });
  });
  await removeFiles([row.storageKey, ...row.variants.map((v) => v.key)]);
}

/** Images ready for use in an article (they have alt text), newest first, for the editor's pickers. */
export async function usableImages(actor: Actor, limit = 60) {
  if (!can(actor, "media:upload")) throw new ForbiddenError("browse the media library");
  const db = await getDb();
  const rows = await db
    .select({ id: media.id, key: media.storageKey, alt: media.alt, caption: media.caption, credit: media.credit, filename: media.filename })
    .from(media)
    .where(sql`coalesce(trim(${media.alt}), '') <> ''`)
    .orderBy(desc(media.createdAt))
    .limit(limit);
  return rows.map((row) => ({ id: row.id, src: `/media/${row.key}`, alt: row.alt!, caption: row.caption, credit: row.credit, filename: row.filename }));
}
