import { seeOtherWithStaffLink } from "@/lib/http/forms";
import { visitorOrigin } from "@/lib/http/origin";
import { handleStaffForm } from "@/lib/http/staff-route";
import { siteOrigin } from "@/lib/seo/site-url";
import { linkMailQuery, mailStaffLink } from "@/lib/staff/link-mail";
import { inviteStaff } from "@/lib/staff/tokens";

// An admin invites someone: the one-time link is shown once on the staff page, to pass on, and is
// mailed to the person too when SMTP_URL is set (the page says whether that worked).
export function POST(request: Request) {
  return handleStaffForm(request, "/editor/staff", async (staff, form) => {
    const link = await inviteStaff(staff.actor, { email: form.email ?? "", role: form.role ?? "" });
    const mail = await mailStaffLink(link, visitorOrigin(request.headers, siteOrigin()));
    return seeOtherWithStaffLink(`/editor/staff?done=invite${linkMailQuery(mail)}`, link.path);
  });
}
