import { can } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors";
import { handleStaffUpload } from "@/lib/http/uploads";
import { uploadMedia } from "@/lib/media/library";
import { getSiteSettings, setSiteImage, type SiteImageKind } from "@/lib/settings";

// a Map, not an object literal: `image=constructor` must not find Object.prototype's
const kinds = new Map<string, SiteImageKind>([
  ["logo", "logo"],
  ["social-image", "socialImage"],
]);

/** Uploads the site logo or default social image (field `image`: logo | social-image), or removes it. */
export function POST(request: Request) {
  return handleStaffUpload(request, { backTo: "/editor/settings", allowed: (staff) => can(staff.actor, "settings:manage"), refusal: "change the site settings" }, async (staff, { file, fields }, respond) => {
    const kind = kinds.get(fields.image ?? "");
    if (!kind) throw new DomainError("Say which image this is: the logo or the social image.", 400);
    if (fields.remove) {
      await setSiteImage(staff.actor, kind, null);
      return respond.done("done=1", { [kind]: null });
    }
    if (!file) throw new DomainError("Choose an image to upload.", 400);
    const site = await getSiteSettings();
    const stored = await uploadMedia(staff.actor, { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, alt: kind === "logo" ? `${site.name} logo` : site.name });
    await setSiteImage(staff.actor, kind, stored.id);
    return respond.done("done=1", { [kind]: stored.url });
  });
}
