import "server-only";
import { createArticle, type CreatedArticle } from "@/lib/articles/mutations";
import type { Actor } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { isHttpUrl } from "@/lib/rich-text/urls";
import { decodeText, ImportError } from "./errors";
import { parseMarkdownArticle } from "./markdown";
import { parsePlainTextArticle, type ImportedArticle } from "./plain-text";

export type ImportOptions = {
  fileName: string;
  publish?: boolean;
  sourceUrl?: string;
  sourceName?: string;
  authors?: string[];
  section?: string;
};

export function detectFormat(fileName: string, text: string): "markdown" | "plain" {
  return /\.(md|markdown)$/i.test(fileName) || text.startsWith("---\n") ? "markdown" : "plain";
}

/** Parses a plain-text or Markdown file into an article without touching the database. Throws ImportError. */
export function parseArticleFile(bytes: Uint8Array, options: ImportOptions): ImportedArticle {
  if (bytes.byteLength === 0) throw new ImportError("the file is empty");
  const text = decodeText(bytes);
  const article = detectFormat(options.fileName, text) === "markdown" ? parseMarkdownArticle(text) : parsePlainTextArticle(text);
  if (options.sourceUrl !== undefined && !isHttpUrl(options.sourceUrl)) {
    throw new ImportError(`--source-url "${options.sourceUrl}" is not an http(s) URL`);
  }
  const sourceUrl = article.sourceUrl ?? options.sourceUrl ?? null;
  if (article.sourceLineWithoutUrl && !sourceUrl) {
    throw new ImportError('"Go To Source" names no URL; add it after the words or pass --source-url https://…', article.sourceLineWithoutUrl);
  }
  return {
    ...article,
    sourceUrl,
    sourceName: article.sourceName ?? options.sourceName ?? null,
    authors: options.authors?.length ? options.authors : article.authors,
    section: options.section ?? article.section,
  };
}

/** Imports one file as a draft (or published with `publish`), all or nothing. */
export async function importArticleFile(actor: Actor, bytes: Uint8Array, options: ImportOptions): Promise<CreatedArticle> {
  const article = parseArticleFile(bytes, options);
  try {
    return await createArticle(actor, {
      title: article.title,
      dek: article.dek,
      body: article.body,
      section: article.section,
      tags: article.tags ?? [],
      authors: article.authors ?? [],
      sourceName: article.sourceName,
      sourceUrl: article.sourceUrl,
      status: options.publish ? "published" : "draft",
      publishedAt: article.publishedAt,
    });
  } catch (error) {
    if (error instanceof ValidationError) throw new ImportError(error.message);
    throw error;
  }
}
