import { getStaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { plainError, readFormOrRefuse, seeOther } from "@/lib/http/forms";
import { logError } from "@/lib/log";
import { roleSchema } from "@/lib/staff/validation";
import { signOutEverywhere, updateStaffAccess } from "@/lib/staff/mutations";

type Props = { params: Promise<{ id: string; operation: string }> };

// Admin operations on one staff member, posted by the forms on /editor/staff. The session and the
// capability are checked here and again in lib/staff (which is what enforces them).
export async function POST(request: Request, { params }: Props) {
  const staff = await getStaffSession();
  if (!staff) return plainError(401, "Sign in first: this needs a staff account.");
  const { id, operation } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) return plainError(404, "There is no such staff member.");
  const form = await readFormOrRefuse(request);
  if (form instanceof Response) return form;
  try {
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
      default:
        return plainError(404, "There is no such operation.");
    }
  } catch (error) {
    if (error instanceof DomainError) {
      // a person's mistake (the last admin…) goes back to the page; refusals keep their status
      if (error.status === 409 || error.status === 400) return seeOther(`/editor/staff?error=${encodeURIComponent(error.message)}`);
      return plainError(error.status, error.message);
    }
    logError("staff operation failed", error, { operation });
    return plainError(503, "That change could not be saved just now. Try again in a minute.");
  }
  return seeOther(`/editor/staff?done=${operation}`);
}
