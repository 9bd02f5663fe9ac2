import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { mergeTag } from "@/lib/tags/mutations";

type Context = { params: Promise<{ id: string }> };

/** Merges a tag into another, named in the form's `into` (editors and admins; lib/tags checks). */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/tags", async (staff, form) => {
    await mergeTag(staff.actor, id, { into: form.into });
    return seeOther("/editor/tags?done=merged");
  });
}
