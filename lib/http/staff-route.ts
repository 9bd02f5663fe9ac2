import "server-only";
import { getStaffSessionOrOutage, SessionUncheckable, type StaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { plainError, readFormOrRefuse, seeOther } from "./forms";

/**
 * The shape of a staff form endpoint: a signed-in session (401 otherwise), a bounded form (413), then
 * the work. A person's mistake (400, 409) goes back to `backTo` with the message; a refusal keeps
 * its status (403, 404, 429); anything unexpected is logged and answered 503, never a stack trace.
 */
export async function handleStaffForm(
  request: Request,
  backTo: string,
  work: (staff: StaffSession, form: Record<string, string>) => Promise<Response>,
): Promise<Response> {
  const staff = await getStaffSessionOrOutage();
  if (staff instanceof SessionUncheckable) return plainError(503, staff.message);
  if (!staff) return plainError(401, "Sign in first: this needs a staff account.");
  const form = await readFormOrRefuse(request);
  if (form instanceof Response) return form;
  try {
    return await work(staff, form);
  } catch (error) {
    if (error instanceof DomainError) {
      if (error.status === 400 || error.status === 409) return seeOther(`${backTo}${backTo.includes("?") ? "&" : "?"}error=${encodeURIComponent(error.message)}`);
      return plainError(error.status, error.message);
    }
    logError("staff form failed", error, { backTo });
    return plainError(503, "That could not be saved just now. Try again in a minute.");
  }
}
