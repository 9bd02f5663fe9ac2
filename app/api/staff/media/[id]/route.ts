import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { updateMediaDetails } from "@/lib/media/library";

type Context = { params: Promise<{ id: string }> };

/** Saves an image's alt text, caption and credit (its uploader, or an editor). */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/media", async (staff, form) => {
    await updateMediaDetails(staff.actor, id, { alt: form.alt, caption: form.caption, credit: form.credit });
    return seeOther("/editor/media?done=saved");
  });
}
