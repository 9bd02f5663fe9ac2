import "server-only";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog, settings } from "@/db/schema";
import { can, type Actor } from "@/lib/auth/permissions";
import { cachedQuery } from "@/lib/cache/cached";
import { invalidateTags } from "@/lib/cache/invalidate";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { tags } from "@/lib/cache/tags";

export type SiteSettings = { name: string; description: string; timeZone: string };

const defaults: SiteSettings = {
  name: "Top One Magazine",
  description: "News, ideas and long reads from Top One Magazine.",
  timeZone: "UTC",
};

/** Site-wide settings with their defaults (admins edit them; see the staff issue). Tag: settings. */
export const getSiteSettings = cachedQuery(
  "settings",
  async (): Promise<SiteSettings> => {
    const db = await getDb();
    const rows = await db.select({ key: settings.key, value: settings.value }).from(settings).where(inArray(settings.key, Object.keys(defaults)));
    const stored = Object.fromEntries(rows.filter((row) => typeof row.value === "string").map((row) => [row.key, row.value as string]));
    return { ...defaults, ...stored };
  },
  () => [tags.settings],
  defaults,
);

const settingsSchema = z.object({
  name: z.string().trim().min(1, { error: "a site name is required" }).max(80, { error: "use at most 80 characters" }),
  description: z.string().trim().max(300, { error: "use at most 300 characters" }),
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
export async function updateSiteSettings(actor: Actor, input: Partial<Record<keyof SiteSettings, string>>): Promise<void> {
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
  });
  await invalidateTags([tags.settings, tags.feed, tags.sitemap]);
}
