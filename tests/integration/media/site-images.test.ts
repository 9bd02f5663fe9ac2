import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, settings } from "@/db/schema";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { uploadMedia } from "@/lib/media/library";
import { getSiteSettings, setSiteImage, updateSiteSettings } from "@/lib/settings";
import { getOwnProfile, setOwnPhoto } from "@/lib/staff/profile";
import { countRows, failure, makeStaff } from "../../fixtures/builders";
import { auditEntries, mediaRow, pngOf, useTempMediaStorage } from "./helpers";

// The site logo and default social image (admins choose them from the media library) and one's
// own profile photo, as the pages read them back.

useTempMediaStorage();
type Staff = Awaited<ReturnType<typeof makeStaff>>;
let writer: Staff;
let editor: Staff;
let admin: Staff;

beforeAll(async () => {
  writer = await makeStaff("writer", "Pia Photo");
  editor = await makeStaff("editor", "Ed Settings");
  admin = await makeStaff("admin", "Ann Settings");
});

const image = async (actor: Staff, width: number, height: number, filename = "logo.png") => uploadMedia(actor, { bytes: await pngOf(width, height), filename });

describe("setSiteImage and getSiteSettings", () => {
  it("sets the logo: getSiteSettings gives its /media/ path, size and the site name as alt; removing it gives null", async () => {
    expect((await getSiteSettings()).logo).toBeNull();
    const logo = await image(admin, 300, 100);
    const key = (await mediaRow(logo.id))!.storageKey;
    await setSiteImage(admin, "logo", logo.id);
    const site = await getSiteSettings();
    expect(site.logo).toEqual({ mediaId: logo.id, src: `/media/${key}`, width: 300, height: 100, alt: site.name });
    expect(site.socialImage).toBeNull();
    expect(await auditEntries("settings.image_set", "logoMediaId")).toHaveLength(1);

    // the alt follows the site name
    await updateSiteSettings(admin, { name: "Harbour Weekly", description: "", timeZone: "UTC" });
    expect((await getSiteSettings()).logo).toMatchObject({ alt: "Harbour Weekly" });

    await setSiteImage(admin, "logo", null);
    expect((await getSiteSettings()).logo).toBeNull();
    expect(await auditEntries("settings.image_remove", "logoMediaId")).toHaveLength(1);
    // removing again is harmless
    await setSiteImage(admin, "logo", null);
    expect((await getSiteSettings()).logo).toBeNull();
  });

  it("sets and replaces the social image independently of the logo", async () => {
    const first = await image(admin, 1200, 630, "social.png");
    const second = await image(writer, 800, 400, "social-2.png"); // anyone's upload may be chosen
    await setSiteImage(admin, "socialImage", first.id);
    expect((await getSiteSettings()).socialImage).toMatchObject({ mediaId: first.id, src: first.url, width: 1200, height: 630 });
    await setSiteImage(admin, "socialImage", second.id);
    const site = await getSiteSettings();
    expect(site.socialImage).toMatchObject({ mediaId: second.id, src: second.url, width: 800, height: 400 });
    expect(site.logo).toBeNull();
    await setSiteImage(admin, "socialImage", null);
    expect((await getSiteSettings()).socialImage).toBeNull();
  });

  it("refuses editors and writers with 403 and changes nothing", async () => {
    const logo = await image(admin, 300, 100);
    await setSiteImage(admin, "logo", logo.id);
    const other = await image(editor, 200, 100);
    const before = await countRows({ settings, auditLog });
    for (const actor of [editor, writer]) {
      for (const [kind, id] of [["logo", other.id], ["logo", null], ["socialImage", other.id]] as const) {
        const error = await failure(setSiteImage(actor, kind, id));
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error.status).toBe(403);
      }
    }
    expect(await countRows({ settings, auditLog })).toEqual(before);
    expect((await getSiteSettings()).logo).toMatchObject({ mediaId: logo.id });
    await setSiteImage(admin, "logo", null);
  });

  it("refuses an image that is not in the library with 400 and keeps the current one", async () => {
    const logo = await image(admin, 300, 100);
    await setSiteImage(admin, "logo", logo.id);
    const before = await countRows({ settings, auditLog });
    const error = await failure(setSiteImage(admin, "logo", randomUUID()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(await countRows({ settings, auditLog })).toEqual(before);
    expect((await getSiteSettings()).logo).toMatchObject({ mediaId: logo.id });
    await setSiteImage(admin, "logo", null);
  });

  it("gives null for a stored logo id whose image row is gone (never a broken image)", async () => {
    const db = await getDb();
    await db.insert(settings).values({ key: "logoMediaId", value: randomUUID() }).onConflictDoUpdate({ target: settings.key, set: { value: randomUUID() } });
    expect((await getSiteSettings()).logo).toBeNull();
    await db.delete(settings).where(eq(settings.key, "logoMediaId"));
  });
});

describe("setOwnPhoto and getOwnProfile", () => {
  it("sets one's own photo to a library image: the profile shows its /media/ path; removing it gives null", async () => {
    const photo = await image(writer, 400, 400, "me.jpg.png");
    const key = (await mediaRow(photo.id))!.storageKey;
    expect((await getOwnProfile(writer)).photo).toBeNull();
    await setOwnPhoto(writer, photo.id);
    expect((await getOwnProfile(writer)).photo).toBe(`/media/${key}`);
    expect((await getOwnProfile(editor)).photo).toBeNull(); // only one's own
    expect(await auditEntries("staff.photo_set", writer.id)).toHaveLength(1);
    await setOwnPhoto(writer, null);
    expect((await getOwnProfile(writer)).photo).toBeNull();
    expect(await auditEntries("staff.photo_remove", writer.id)).toHaveLength(1);
  });

  it("refuses an image that is not in the library with 400, keeping the current photo", async () => {
    const photo = await image(editor, 300, 300, "editor.png");
    await setOwnPhoto(editor, photo.id);
    const error = await failure(setOwnPhoto(editor, randomUUID()));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect((await getOwnProfile(editor)).photo).toBe(photo.url);
  });
});
