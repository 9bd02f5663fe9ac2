import "server-only";
import { and, eq, inArray, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog, media, settings } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { cachedQuery } from "@/lib/cache/cached";
import { invalidateTags, noticeInTransaction } from "@/lib/cache/invalidate";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { tags } from "@/lib/cache/tags";
import { mediaPath } from "@/lib/media/urls";
import { withoutControlCharacters } from "@/lib/text";

/** An image the site shows everywhere (logo, default social image), as a path on this site. */
export type SiteImage = { mediaId: string; src: string; width: number; height: number; alt: string };

export type SiteSettings = { name: string; description: string; timeZone: string; logo: SiteImage | null; socialImage: SiteImage | null };

type TextSettings = Pick<SiteSettings, "name" | "description" | "timeZone">;

const defaults: SiteSettings = {
  name: "Top One Magazine",
  description: "News, ideas and long reads from Top One Magazine.",
  timeZone: "UTC",
  logo: null,
  socialImage: null,
};

// the images are stored as media ids under these keys
const imageKeys = { logo: "logoMediaId", socialImage: "socialImageMediaId" } as const;
export type SiteImageKind = keyof typeof imageKeys;

/** The settings rows that show the library image `mediaId` (an id, or a column such as media.id): the logo, the default social image. */
export function settingsShowingImage(mediaId: SQLWrapper | string): SQL {
  return and(inArray(settings.key, Object.values(imageKeys)), sql`${settings.value} = to_jsonb(${mediaId}::text)`)!;
}

/** What a settings key that holds an image is, for people: "the site logo". */
export function siteImageLabel(key: string): string {
  return key === imageKeys.logo ? "the site logo" : "the default social image";
}

/** Site-wide settings with their defaults (admins edit them; see the staff issue). Tag: settings. */
export const getSiteSettings = cachedQuery(
  "settings",
  async (): Promise<SiteSettings> => {
    const db = await getDb();
    const keys = [...Object.keys(defaults), ...Object.values(imageKeys)];
    const rows = await db.select({ key: settings.key, value: settings.value }).from(settings).where(inArray(settings.key, keys));
    const stored = Object.fromEntries(rows.filter((row) => typeof row.value === "string").map((row) => [row.key, row.value as string]));
    const image = async (mediaId: string | undefined, alt: string): Promise<SiteImage | null> => {
      if (!mediaId) return null;
      const [row] = await db.select({ key: media.storageKey, width: media.width, height: media.height }).from(media).where(eq(media.id, mediaId));
      return row ? { mediaId, src: mediaPath(row.key), width: row.width, height: row.height, alt } : null;
    };
    const name = stored.name ?? defaults.name;
    return {
      name,
      description: stored.description ?? defaults.description,
      timeZone: stored.timeZone ?? defaults.timeZone,
      logo: await image(stored[imageKeys.logo], name),
      socialImage: await image(stored[imageKeys.socialImage], name),
    };
  },
  () => [tags.settings],
  defaults,
);

// the masthead, the feed's title and the sitemap's pages all show the settings
const SETTINGS_PAGES = [tags.settings, tags.feed, tags.sitemap];

const settingsSchema = z.object({
  name: z.string().overwrite(withoutControlCharacters).trim().min(1, { error: "a site name is required" }).max(80, { error: "use at most 80 characters" }),
  description: z.string().overwrite(withoutControlCharacters).trim().max(300, { error: "use at most 300 characters" }),
  timeZone: z.string().refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: "choose a time zone such as Europe/Paris or UTC" },
  ),
});

/** Saves the site settings (admins) and expires every cached page, since the masthead shows them. */
export async function updateSiteSettings(actor: Actor, input: Partial<Record<keyof TextSettings, string>>): Promise<void> {
  if (!can(actor, "settings:manage")) throw new ForbiddenError("change the site settings");
  const parsed = settingsSchema.safeParse({ name: input.name ?? "", description: input.description ?? "", timeZone: input.timeZone ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`${String(issue.path[0])}: ${issue.message}`);
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const [key, value] of Object.entries(parsed.data)) {
      await tx.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
    }
    await tx.insert(auditLog).values({ actorId: actor.id, action: "settings.update", entityType: "settings", details: parsed.data });
    await noticeInTransaction(tx, SETTINGS_PAGES);
  });
  await invalidateTags(SETTINGS_PAGES, { noticed: true });
}

/**
 * Sets (or with null, removes) the site logo or default social image, a media library image.
 * Admins only; every page shows the logo, so every cached page expires.
 */
export async function setSiteImage(actor: Actor, kind: SiteImageKind, mediaId: string | null): Promise<void> {
  if (!can(actor, "settings:manage")) throw new ForbiddenError("change the site settings");
  const key = imageKeys[kind];
  if (mediaId !== null && !z.uuid().safeParse(mediaId).success) throw new ValidationError("That image is no longer in the media library.");
  const db = await getDb();
  await db.transaction(async (tx) => {
    if (mediaId === null) {
      await tx.delete(settings).where(eq(settings.key, key));
    } else {
      const [image] = await tx.select({ id: media.id }).from(media).where(eq(media.id, mediaId)).for("share");
      if (!image) throw new ValidationError("That image is no longer in the media library.");
      await tx.insert(settings).values({ key, value: mediaId }).onConflictDoUpdate({ target: settings.key, set: { value: mediaId, updatedAt: new Date() } });
    }
    await tx.insert(auditLog).values({ actorId: actor.id, action: mediaId ? "settings.image_set" : "settings.image_remove", entityType: "settings", entityId: key, details: { mediaId } });
    await noticeInTransaction(tx, SETTINGS_PAGES);
  });
  await invalidateTags(SETTINGS_PAGES, { noticed: true });
}
