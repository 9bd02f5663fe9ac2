import { seeOther } from "@/lib/http/forms";
import { clientIp } from "@/lib/http/client-ip";
import { handleStaffForm } from "@/lib/http/staff-route";
import { changeOwnPassword } from "@/lib/staff/profile";

export function POST(request: Request) {
  return handleStaffForm(request, "/editor/profile", async (staff, form) => {
    await changeOwnPassword(staff.actor, { current: form.current ?? "", next: form.next ?? "" }, clientIp(request.headers));
    // every session has ended, this one too: sign in with the new password
    return seeOther("/editor/sign-in?password=changed");
  });
}
