import "server-only";
import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { settings } from "@/db/schema";
import { cachedQuery } from "@/lib/cache/cached";
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
