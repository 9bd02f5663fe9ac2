import { can } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors";
import { handleStaffUpload } from "@/lib/http/uploads";
import { uploadMedia } from "@/lib/media/library";

// One image per request, so the library's uploader can show each file's progress and outcome.
export function POST(request: Request) {
  return handleStaffUpload(request, { backTo: "/editor/media", allowed: (staff) => can(staff.actor, "media:upload"), refusal: "upload media" }, async (staff, { file, fields }, respond) => {
    if (!file) throw new DomainError("Choose an image to upload.", 400);
    const stored = await uploadMedia(staff.actor, { bytes: new Uint8Array(await file.arrayBuffer()), filename: file.name, alt: fields.alt, caption: fields.caption, credit: fields.credit });
    return respond.done(`done=uploaded`, stored, 201);
  });
}
