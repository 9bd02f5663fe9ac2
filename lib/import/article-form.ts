import "server-only";
import { readBody } from "@/lib/http/forms";
import { isHttpUrl } from "@/lib/rich-text/urls";
import { ImportError } from "./errors";

// The dashboard's paste-or-upload form: a pasted article or a .txt/.md file, plus an optional source URL.

export const MAX_ARTICLE_BYTES = 512 * 1024;
// the article plus the form's other fields and multipart framing
export const MAX_ARTICLE_REQUEST_BYTES = MAX_ARTICLE_BYTES + 16 * 1024;

export type ArticleForm = { bytes: Uint8Array; fileName: string; sourceUrl?: string };

/** Reads the form (urlencoded or multipart), bounded while it streams in (FormTooLarge past the limit). */
export async function readArticleForm(request: Request): Promise<ArticleForm> {
  const type = request.headers.get("content-type") ?? "";
  const body = await readBody(request, MAX_ARTICLE_REQUEST_BYTES);
  let fields: Record<string, string> = {};
  let file: File | null = null;
  if (type.startsWith("application/x-www-form-urlencoded")) {
    fields = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  } else if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
    } catch {
      throw new ImportError("the form could not be read: it was interrupted or malformed; try again");
    }
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") fields[name] = value;
      else if (name === "file" && (value.size > 0 || value.name)) file = value;
    }
  }
  const sourceUrl = fields.sourceUrl?.trim() || undefined;
  if (sourceUrl && !isHttpUrl(sourceUrl)) throw new ImportError("the source URL must be an http(s) URL such as https://example.com/story");
  const markdown = fields.format === "markdown";
  if (file) {
    if (!/\.(txt|text|md|markdown)$/i.test(file.name)) throw new ImportError(`"${file.name.slice(0, 80)}" is not a .txt or .md file`);
    if (file.size > MAX_ARTICLE_BYTES) throw new ImportError(`the file is larger than ${MAX_ARTICLE_BYTES / 1024} kB`);
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: markdown && !/\.(md|markdown)$/i.test(file.name) ? `${file.name}.md` : file.name, sourceUrl };
  }
  const text = fields.text ?? "";
  if (!text.trim()) throw new ImportError("paste the article's text or choose a .txt or .md file");
  // a paste that opens with a `# Heading` is Markdown even when the format was left on plain text
  return { bytes: new TextEncoder().encode(text), fileName: markdown || /^\s*# \S/.test(text) ? "pasted.md" : "pasted.txt", sourceUrl };
}
