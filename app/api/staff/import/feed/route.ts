import { readForm, seeOther } from "@/lib/http/forms";
import { importFeed } from "@/lib/import/feed-import";
import { handleImport, IMPORT_PAGE } from "@/lib/import/route";

/** A feed's newest items become drafts crediting their source; the page reports how many. */
export function POST(request: Request) {
  return handleImport(request, async (staff) => {
    const form = await readForm(request);
    const result = await importFeed(staff.actor, staff.email, form.url ?? "", Number(form.count || "10"));
    const query = new URLSearchParams({ created: String(result.created), existing: String(result.alreadyImported), skipped: String(result.skipped) });
    return seeOther(`${IMPORT_PAGE}?${query}`);
  });
}
