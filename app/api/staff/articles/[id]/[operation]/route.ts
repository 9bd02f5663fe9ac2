import { heartbeat } from "@/lib/articles/presence";
import { createPreviewLink } from "@/lib/articles/preview";
import { restoreRevision } from "@/lib/articles/revisions";
import { addCorrection, moveArticle } from "@/lib/articles/workflow";
import { getStaffSessionOrOutage, SessionUncheckable } from "@/lib/auth/session";
import { FormTooLarge, readForm, seeOther, tooLarge, wantsJson } from "@/lib/http/forms";
import { visitorOrigin } from "@/lib/http/origin";
import { jsonError, jsonOk } from "@/lib/http/staff-json";
import { zonedTimeToUtc } from "@/lib/time-zones";

type Props = { params: Promise<{ id: string; operation: string }> };

// Workflow steps on one article, posted by the editor (JSON answers) or a plain form (303 back).
// lib/articles/workflow.ts checks the capability and the version; lib/auth/endpoints.ts lists each.
export async function POST(request: Request, { params }: Props) {
  const { id, operation } = await params;
  const json = wantsJson(request);
  const back = `/editor/articles/${/^[0-9a-f-]{36}$/.test(id) ? id : ""}`;
  const staff = await getStaffSessionOrOutage();
  if (staff instanceof SessionUncheckable) return jsonOk({ error: staff.message }, 503);
  if (!staff) return jsonOk({ error: "Sign in first: this needs a staff account." }, 401);
  let form: Record<string, string>;
  try {
    form = await readForm(request);
  } catch (error) {
    if (error instanceof FormTooLarge) return tooLarge();
    throw error;
  }
  try {
    const version = Number(form.version);
    let result: unknown = {};
    switch (operation) {
      case "submit":
      case "publish":
      case "unpublish":
      case "archive":
        result = await moveArticle(staff.actor, id, operation, version);
        break;
      case "schedule": {
        // a missing or malformed time is refused by the workflow, after it has checked who asks
        const at = form.at && form.timeZone ? zonedTimeToUtc(form.at, form.timeZone) : null;
        result = await moveArticle(staff.actor, id, "schedule", version, at ?? undefined);
        break;
      }
      case "restore": {
        // the revisions page's buttons carry the revision and the version they saw in the address
        const url = new URL(request.url);
        result = await restoreRevision(staff.actor, id, url.searchParams.get("revision") ?? form.revision ?? "", Number(url.searchParams.get("version") ?? form.version));
        return json ? jsonOk(result) : seeOther(`${back}/revisions?done=restore`);
      }
      case "presence": {
        return jsonOk(await heartbeat(staff, id, form.tab ?? "", form.takeOver === "1"));
      }
      case "share": {
        const link = await createPreviewLink(staff.actor, id);
        return jsonOk({ url: new URL(link.path, visitorOrigin(request.headers, new URL(request.url).origin)).toString(), expiresAt: link.expiresAt.toISOString() });
      }
      case "correct":
        await addCorrection(staff.actor, id, form.note ?? "");
        break;
      default:
        return jsonOk({ error: "There is no such step." }, 404);
    }
    return json ? jsonOk(result) : seeOther(`${back}?done=${operation}`);
  } catch (error) {
    const response = jsonError(error, { article: id, operation });
    if (json || response.status === 401 || response.status === 403 || response.status >= 500) return response;
    const { error: message } = (await response.json()) as { error: string };
    return seeOther(`${back}?error=${encodeURIComponent(message)}`);
  }
}
