import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { createSection } from "@/lib/sections/mutations";

/** Creates a section (editors and admins; lib/sections checks). */
export function POST(request: Request) {
  return handleStaffForm(request, "/editor/sections", async (staff, form) => {
    await createSection(staff.actor, { name: form.name, slug: form.slug, description: form.description });
    return seeOther("/editor/sections?done=created");
  });
}
