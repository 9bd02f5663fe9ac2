import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { updateTag } from "@/lib/tags/mutations";

type Context = { params: Promise<{ id: string }> };

/** Saves a tag's name and address (editors and admins; lib/tags checks). */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/tags", async (staff, form) => {
    await updateTag(staff.actor, id, { name: form.name, slug: form.slug });
    return seeOther("/editor/tags?done=saved");
  });
}
