import type { Nodes, PhrasingContent, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { parseDocument } from "yaml";
import { z } from "zod";
import type { BlockNode, InlineNode, ListItemNode, ListNode, Mark, ParagraphNode } from "@/lib/rich-text/schema";
import { isHttpUrl, isSafeHref, isSafeImageSrc } from "@/lib/rich-text/urls";
import { ImportError } from "./errors";
import type { ImportedArticle } from "./plain-text";

const stringList = z.union([z.array(z.string()), z.string().transform((value) => value.split(",").map((item) => item.trim()))]);

const frontMatterSchema = z
  .object({
    title: z.string().trim().min(1).optional(),
    dek: z.string().optional(),
    section: z.string().optional(),
    tags: stringList.optional(),
    authors: stringList.optional(),
    author: z.string().optional(),
    source_name: z.string().optional(),
    source_url: z.string().refine(isHttpUrl, { message: "must be an http(s) URL" }).optional(),
    published_at: z.union([z.string(), z.date()]).optional(),
  })
  .strict();

/** Reads Markdown with optional YAML front matter (title, dek, section, tags, authors, source_name, source_url, published_at). */
export function parseMarkdownArticle(text: string): ImportedArticle {
  const { meta, body, bodyStartLine } = splitFrontMatter(text);
  const tree = fromMarkdown(body);
  // reference-style links ([the report][1] with a "[1]: https://…" line) point at these
  const definitions = new Map<string, string>();
  for (const node of tree.children) if (node.type === "definition") definitions.set(node.identifier.toLowerCase(), node.url);
  const ctx: Context = { lineOffset: bodyStartLine - 1, definitions };
  let title = meta.title;
  const blocks: BlockNode[] = [];
  for (const node of tree.children) {
    if (node.type === "heading" && node.depth === 1 && !title && blocks.length === 0) {
      title = plainText(node).trim();
      continue;
    }
    blocks.push(...convertBlock(node, ctx));
  }
  if (!title) throw new ImportError("no title: add `title:` to the front matter or start the body with a `# Heading`", 1);
  if (!blocks.some((block) => block.type === "paragraph")) {
    throw new ImportError("the article has no body paragraphs", bodyStartLine);
  }
  let publishedAt: Date | null = null;
  if (meta.published_at !== undefined) {
    publishedAt = meta.published_at instanceof Date ? meta.published_at : new Date(meta.published_at);
    if (Number.isNaN(publishedAt.getTime())) {
      throw new ImportError(`published_at "${String(meta.published_at)}" is not a date; use a form like 2026-03-29T14:00:00Z`, meta.lines.published_at);
    }
  }
  return {
    title,
    dek: meta.dek?.trim() || null,
    body: { type: "doc", content: blocks },
    section: meta.section ?? null,
    tags: (meta.tags ?? []).filter(Boolean),
    authors: [...(meta.authors ?? []), ...(meta.author ? [meta.author] : [])].filter(Boolean),
    sourceName: meta.source_name?.trim() || null,
    sourceUrl: meta.source_url ?? null,
    publishedAt,
  };
}

type FrontMatter = z.infer<typeof frontMatterSchema> & { lines: Record<string, number> };

function splitFrontMatter(text: string): { meta: FrontMatter; body: string; bodyStartLine: number } {
  if (!text.startsWith("---\n")) return { meta: { lines: {} }, body: text, bodyStartLine: 1 };
  const end = text.indexOf("\n---", 3);
  const closing = end < 0 ? -1 : text.indexOf("\n", end + 1);
  if (end < 0) throw new ImportError("the front matter starting here is never closed by a `---` line", 1);
  const yamlText = text.slice(4, end + 1);
  const document = parseDocument(yamlText, { prettyErrors: false });
  const lineOfOffset = (offset: number) => yamlText.slice(0, offset).split("\n").length + 1;
  const [yamlError] = document.errors;
  if (yamlError) throw new ImportError(`front matter is not valid YAML: ${yamlError.message.split("\n")[0]}`, lineOfOffset(yamlError.pos[0]));

  const lines: Record<string, number> = {};
  const contents = document.contents as { items?: { key?: { value?: unknown; range?: [number] } }[] } | null;
  for (const item of contents?.items ?? []) {
    if (typeof item.key?.value === "string" && item.key.range) lines[item.key.value] = lineOfOffset(item.key.range[0]);
  }
  const parsed = frontMatterSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.code === "unrecognized_keys" ? issue.keys[0]! : String(issue.path[0] ?? "");
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown front matter field "${key}"; known fields: ${Object.keys(frontMatterSchema.shape).join(", ")}`
        : `front matter field "${key}" ${issue.message}`;
    throw new ImportError(message, lines[key] ?? 2);
  }
  const bodyStart = closing < 0 ? text.length : closing + 1;
  return { meta: { ...parsed.data, lines }, body: text.slice(bodyStart), bodyStartLine: text.slice(0, bodyStart).split("\n").length };
}

function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

/** Where the body starts in the file (for line numbers), and the reference definitions it holds. */
type Context = { lineOffset: number; definitions: Map<string, string> };

function convertBlock(node: RootContent, ctx: Context): BlockNode[] {
  const line = (node.position?.start.line ?? 1) + ctx.lineOffset;
  switch (node.type) {
    case "paragraph": {
      const only = node.children.length === 1 ? node.children[0] : undefined;
      if (only?.type === "image") {
        if (!isSafeImageSrc(only.url)) throw new ImportError(`the image "${only.url.slice(0, 80)}" must be an https URL`, line);
        if (!only.alt?.trim()) throw new ImportError("every image needs alt text: write ![what the image shows](url)", line);
        return [{ type: "figure", attrs: { src: only.url, alt: only.alt.trim(), caption: only.title ?? null } }];
      }
      return [{ type: "paragraph", content: convertInline(node.children, [], ctx) }];
    }
    case "heading":
      return [{ type: "heading", attrs: { level: Math.min(4, Math.max(2, node.depth)) as 2 | 3 | 4 }, content: convertInline(node.children, [], ctx) }];
    case "blockquote":
      // a quote holds paragraphs: its lists and images become paragraphs too, their words kept
      return [{ type: "blockquote", content: node.children.flatMap((child) => convertBlock(child, ctx)).flatMap(asParagraphs) }];
    case "list":
      return [convertList(node, ctx)];
    case "thematicBreak":
      return [{ type: "horizontalRule" }];
    case "code":
      return [{ type: "paragraph", content: node.value ? [{ type: "text", text: node.value, marks: [{ type: "code" }] }] : [] }];
    case "html":
      // raw HTML is kept as the text the author typed, never as markup
      return [{ type: "paragraph", content: node.value ? [{ type: "text", text: node.value }] : [] }];
    default:
      return [];
  }
}

/** A block as paragraphs, keeping every word: a list item by item (marked), an image by its alt text. */
function asParagraphs(block: BlockNode): ParagraphNode[] {
  switch (block.type) {
    case "paragraph":
      return [block];
    case "heading":
    case "pullQuote":
      return [{ type: "paragraph", content: block.content ?? [] }];
    case "bulletList":
    case "orderedList":
      return block.content.flatMap((item, i) => {
        const marker = block.type === "orderedList" ? `${(block.attrs?.start ?? 1) + i}. ` : "• ";
        const [first, ...rest] = item.content.flatMap(asParagraphs);
        return first ? [{ ...first, content: [{ type: "text" as const, text: marker }, ...(first.content ?? [])] }, ...rest] : [];
      });
    case "figure":
      return [{ type: "paragraph", content: [{ type: "text", text: `[${block.attrs.alt}]` }] }];
    case "blockquote":
      return block.content;
    default:
      return [];
  }
}

function convertList(node: Extract<RootContent, { type: "list" }>, ctx: Context): ListNode {
  const items: ListItemNode[] = node.children.map((item) => ({
    type: "listItem",
    content: item.children.flatMap((child): Array<ParagraphNode | ListNode> =>
      child.type === "list" ? [convertList(child, ctx)] : convertBlock(child, ctx).flatMap(asParagraphs),
    ),
  }));
  return node.ordered
    ? { type: "orderedList", attrs: { start: node.start ?? 1 }, content: items }
    : { type: "bulletList", content: items };
}

function convertInline(nodes: PhrasingContent[], marks: Mark[], ctx: Context): InlineNode[] {
  const out: InlineNode[] = [];
  const text = (value: string, extra: Mark[] = marks) => {
    if (value) out.push(extra.length ? { type: "text", text: value, marks: extra } : { type: "text", text: value });
  };
  for (const node of nodes) {
    const line = (node.position?.start.line ?? 1) + ctx.lineOffset;
    switch (node.type) {
      case "text":
      case "html":
        text(node.value);
        break;
      case "inlineCode":
        text(node.value, [...marks, { type: "code" }]);
        break;
      case "strong":
        out.push(...convertInline(node.children, [...marks, { type: "bold" }], ctx));
        break;
      case "emphasis":
        out.push(...convertInline(node.children, [...marks, { type: "italic" }], ctx));
        break;
      case "delete":
        out.push(...convertInline(node.children, [...marks, { type: "strike" }], ctx));
        break;
      case "link":
      case "linkReference": {
        const url = node.type === "link" ? node.url : ctx.definitions.get(node.identifier.toLowerCase());
        // a reference with no definition keeps its words, unlinked
        if (url === undefined) {
          out.push(...convertInline(node.children, marks, ctx));
          break;
        }
        if (!isSafeHref(url)) throw new ImportError(`the link "${url.slice(0, 80)}" is not allowed; links must be http(s), mailto or site paths`, line);
        out.push(...convertInline(node.children, [...marks, { type: "link", attrs: { href: url } }], ctx));
        break;
      }
      case "break":
        out.push({ type: "hardBreak" });
        break;
      case "image":
      case "imageReference":
        text(node.alt ?? "");
        break;
      default:
        break;
    }
  }
  return out;
}
