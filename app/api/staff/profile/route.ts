import { seeOther } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { updateOwnProfile } from "@/lib/staff/profile";

export function POST(request: Request) {
  return handleStaffForm(request, "/editor/profile", async (staff, form) => {
    await updateOwnProfile(staff.actor, { name: form.name, bio: form.bio });
    return seeOther("/editor/profile?done=profile");
  });
}
