import { seeOtherWithStaffLink } from "@/lib/http/forms";
import { handleStaffForm } from "@/lib/http/staff-route";
import { inviteStaff } from "@/lib/staff/tokens";

// An admin invites someone: the one-time link is shown once on the staff page, to pass on.
export function POST(request: Request) {
  return handleStaffForm(request, "/editor/staff", async (staff, form) => {
    const link = await inviteStaff(staff.actor, { email: form.email ?? "", role: form.role ?? "" });
    return seeOtherWithStaffLink("/editor/staff?done=invite", link.path);
  });
}
