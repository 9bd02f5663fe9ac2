import { seeOther } from "@/lib/http/forms";
import { readArticleForm } from "@/lib/import/article-form";
import { importArticleFile } from "@/lib/import/import-article";
import { handleImport } from "@/lib/import/route";

/** A pasted or uploaded article becomes a draft by the importer, opened in the editor. */
export function POST(request: Request) {
  return handleImport(request, async (staff) => {
    const form = await readArticleForm(request);
    const created = await importArticleFile(staff.actor, form.bytes, { fileName: form.fileName, sourceUrl: form.sourceUrl, authors: [staff.email] });
    return seeOther(`/editor/articles/${created.id}`);
  });
}
