import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { updateSection } from "@/lib/sections/mutations";

type Context = { params: Promise<{ id: string }> };

/** Saves a section's name, address and description (editors and admins; lib/sections checks). */
export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  return handleStaffForm(request, "/editor/sections", async (staff, form) => {
    await updateSection(staff.actor, id, { name: form.name, slug: form.slug, description: form.description });
    return seeOther("/editor/sections?done=saved");
  });
}
