import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { deleteMedia } from "@/lib/media/library";

type Context = { params: Promise<{ id: string }> };

/** Deletes an image (its uploader, or an editor); refused while an article, profile or the site shows it. */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/media", async (staff) => {
    await deleteMedia(staff.actor, id);
    return seeOther("/editor/media?done=deleted");
  });
}
