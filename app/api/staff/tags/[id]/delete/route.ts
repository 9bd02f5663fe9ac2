import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { deleteTag } from "@/lib/tags/mutations";

type Context = { params: Promise<{ id: string }> };

/** Deletes a tag, taking it off every article (editors and admins; lib/tags checks). */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/tags", async (staff, form) => {
    await deleteTag(staff.actor, id, { confirm: form.confirm });
    return seeOther("/editor/tags?done=deleted");
  });
}
