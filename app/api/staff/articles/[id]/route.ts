import { authorizeArticleEdit, saveArticle, setAsideCopy } from "@/lib/articles/editing";
import { getStaffSession } from "@/lib/auth/session";
import { FormTooLarge, readBody } from "@/lib/http/forms";
import { jsonError, jsonOk } from "@/lib/http/staff-json";

// The editor's save (and autosave): JSON { article: {version, …fields}, autosave }. With `setAside`,
// the copy is kept as a revision instead, the article unchanged (a conflict resolved for the other
// side). The right to edit is checked before the body is read; the save itself checks it again.
const MAX_SAVE_BYTES = 2 * 1024 * 1024;

type Context = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Context) {
  const { id } = await params;
  try {
    const staff = await getStaffSession();
    if (!staff) return jsonOk({ error: "Your session has ended. Sign in again in another tab; your text is kept in this browser." }, 401);
    await authorizeArticleEdit(staff.actor, id);
    let input: { article?: unknown; autosave?: unknown; setAside?: unknown };
    try {
      input = JSON.parse((await readBody(request, MAX_SAVE_BYTES)).toString("utf8")) as typeof input;
    } catch (error) {
      if (error instanceof FormTooLarge) return jsonOk({ error: `The article is too large to save (over ${MAX_SAVE_BYTES / 1024 / 1024} MB). Split it into parts.` }, 413);
      return jsonOk({ error: "The save was not valid JSON." }, 400);
    }
    if (typeof input !== "object" || input === null || typeof input.article !== "object") return jsonOk({ error: "The save must carry the article's fields." }, 400);
    if (input.setAside === true) return jsonOk(await setAsideCopy(staff.actor, id, input.article as never));
    return jsonOk(await saveArticle(staff.actor, id, input.article as never, { autosave: input.autosave === true }));
  } catch (error) {
    return jsonError(error, { article: id });
  }
}
