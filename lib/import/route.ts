import "server-only";
import { can } from "@/lib/auth/permissions";
import { getStaffSessionOrOutage, SessionUncheckable, type StaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { FormTooLarge, plainError, seeOther } from "@/lib/http/forms";
import { logError } from "@/lib/log";
import { ImportError } from "./errors";

export const IMPORT_PAGE = "/editor/import";

/**
 * The shape of the import endpoints: a session (401) with article:create (403), then the work. A
 * browser posting the page's form is sent back to it with the message; scripts get the real status
 * as plain text (400 unreadable article, 413 too large, 502 feed unreachable, 504 too slow).
 */
export async function handleImport(request: Request, work: (staff: StaffSession) => Promise<Response>): Promise<Response> {
  const wantsPage = (request.headers.get("accept") ?? "").includes("text/html");
  const fail = (status: number, message: string) =>
    wantsPage && status !== 401 && status !== 403 ? seeOther(`${IMPORT_PAGE}?error=${encodeURIComponent(message)}`) : plainError(status, message);
  const staff = await getStaffSessionOrOutage();
  if (staff instanceof SessionUncheckable) return plainError(503, staff.message);
  if (!staff) return plainError(401, "Sign in first: this needs a staff account.");
  if (!can(staff.actor, "article:create")) return plainError(403, "You are not allowed to import articles.");
  try {
    return await work(staff);
  } catch (error) {
    if (error instanceof ImportError) return fail(400, `The article could not be imported: ${error.message}.`);
    if (error instanceof FormTooLarge) return fail(413, "The form is too large: an article can be at most 512 kB.");
    if (error instanceof DomainError) return fail(error.status, error.message);
    logError("import failed", error, {});
    return fail(503, "That could not be imported just now. Try again in a minute.");
  }
}
