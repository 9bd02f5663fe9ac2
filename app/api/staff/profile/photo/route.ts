import { DomainError } from "@/lib/errors";
import { handleStaffUpload } from "@/lib/http/uploads";
import { uploadMedia } from "@/lib/media/library";
import { setOwnPhoto } from "@/lib/staff/profile";

/** Uploads one's own profile photo (into the media library, described by one's name), or removes it. */
export function POST(request: Request) {
  return handleStaffUpload(request, { backTo: "/editor/profile", allowed: () => true, refusal: "change this photo" }, async (staff, { file, fields }, respond) => {
    if (fields.remove) {
      await setOwnPhoto(staff.actor, null);
      return respond.done("done=photo", { photo: null });
    }
    if (!file) throw new DomainError("Choose a photo to upload.", 400);
    const stored = await uploadMedia(staff.actor, { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, alt: `Photo of ${staff.name}` });
    await setOwnPhoto(staff.actor, stored.id);
    return respond.done("done=photo", { photo: stored.url });
  });
}
