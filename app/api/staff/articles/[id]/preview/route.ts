import { draftMode } from "next/headers";
import { getArticleForEditing } from "@/lib/articles/editing";
import { getStaffSessionOrOutage, SessionUncheckable } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { plainError, seeOther } from "@/lib/http/forms";

type Context = { params: Promise<{ id: string }> };

/**
 * Staff preview: turns on Next.js draft mode for this browser and opens the article's real page,
 * which then renders the unpublished text for signed-in staff who may open it. `?exit=1` turns it off.
 */
export async function GET(request: Request, { params }: Context) {
  const { id } = await params;
  const staff = await getStaffSessionOrOutage();
  if (staff instanceof SessionUncheckable) return plainError(503, staff.message);
  if (!staff) return plainError(401, "Sign in first: previews are for staff.");
  try {
    const { article } = await getArticleForEditing(staff.actor, id);
    const mode = await draftMode();
    if (new URL(request.url).searchParams.has("exit")) {
      mode.disable();
      return seeOther(`/editor/articles/${article.id}`);
    }
    mode.enable();
    return seeOther(`/article/${article.slug}?preview=${article.id}`);
  } catch (error) {
    if (error instanceof DomainError) return plainError(error.status === 403 ? 404 : error.status, error.status === 403 ? "That article does not exist." : error.message);
    throw error;
  }
}
