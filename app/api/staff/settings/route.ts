import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { updateSiteSettings } from "@/lib/settings";

export function POST(request: Request) {
  return handleStaffForm(request, "/editor/settings", async (staff, form) => {
    await updateSiteSettings(staff.actor, { name: form.name, description: form.description, timeZone: form.timeZone });
    return seeOther("/editor/settings?done=1");
  });
}
