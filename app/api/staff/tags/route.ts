import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { createTag } from "@/lib/tags/mutations";

/** Creates a tag (editors and admins; lib/tags checks). */
export function POST(request: Request) {
  return handleStaffForm(request, "/editor/tags", async (staff, form) => {
    await createTag(staff.actor, { name: form.name, slug: form.slug });
    return seeOther("/editor/tags?done=created");
  });
}
