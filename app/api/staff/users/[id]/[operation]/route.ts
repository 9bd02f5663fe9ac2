import { z } from "zod";
import { plainError, seeOther, seeOtherWithStaffLink } from "@/lib/http/forms";
import { visitorOrigin } from "@/lib/http/origin";
import { handleStaffForm } from "@/lib/http/staff-route";
import { siteOrigin } from "@/lib/seo/site-url";
import { linkMailQuery, mailStaffLink } from "@/lib/staff/link-mail";
import { signOutEverywhere, updateStaffAccess } from "@/lib/staff/mutations";
import { forcePasswordReset } from "@/lib/staff/tokens";
import { roleSchema } from "@/lib/staff/validation";

type Props = { params: Promise<{ id: string; operation: string }> };

// Admin operations on one staff member, posted by the forms on /editor/staff. lib/staff checks the
// capability (and ownership, for sign-out-everywhere); lib/auth/endpoints.ts lists each operation.
export async function POST(request: Request, { params }: Props) {
  const { id, operation } = await params;
  return handleStaffForm(request, "/editor/staff", async (staff, form) => {
    // a uuid column: anything else would reach PostgreSQL as a syntax error (a 503), not a 404
    if (!z.uuid().safeParse(id).success) return plainError(404, "There is no such staff member.");
    switch (operation) {
      case "role": {
        const role = roleSchema.safeParse(form.role);
        if (!role.success) return plainError(400, "Choose a role: admin, editor or writer.");
        await updateStaffAccess(staff.actor, id, { role: role.data });
        break;
      }
      case "suspend":
      case "reactivate":
        await updateStaffAccess(staff.actor, id, { active: operation === "reactivate" });
        break;
      case "sign-out-everywhere":
        await signOutEverywhere(staff.actor, id);
        break;
      case "reset-password": {
        const link = await forcePasswordReset(staff.actor, id);
        const mail = await mailStaffLink(link, visitorOrigin(request.headers, siteOrigin()));
        return seeOtherWithStaffLink(`/editor/staff?done=reset-password${linkMailQuery(mail)}`, link.path);
      }
      default:
        return plainError(404, "There is no such operation.");
    }
    return seeOther(`/editor/staff?done=${operation}`);
  });
}
