import type { BlockNode, InlineNode, ListNode, Mark } from "./schema";
import { isSafeHref, isSafeImageSrc } from "./urls";

// The allow-list renderer's twin for feeds: the same nodes to an HTML string, every text escaped.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const MARK_TAGS: Record<Exclude<Mark["type"], "link">, string> = { bold: "strong", italic: "em", underline: "u", strike: "s", code: "code" };

function inline(nodes: InlineNode[] | undefined, base: string): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === "hardBreak") return "<br>";
      return (node.marks ?? []).reduceRight((html, mark) => {
        if (mark.type !== "link") return `<${MARK_TAGS[mark.type]}>${html}</${MARK_TAGS[mark.type]}>`;
        if (!isSafeHref(mark.attrs.href)) return html;
        return `<a href="${escapeHtml(new URL(mark.attrs.href, base).toString())}">${html}</a>`;
      }, escapeHtml(node.text));
    })
    .join("");
}

function list(node: ListNode, base: string): string {
  const tag = node.type === "orderedList" ? "ol" : "ul";
  const items = node.content.map((item) => `<li>${item.content.map((c) => (c.type === "paragraph" ? inline(c.content, base) : list(c, base))).join("")}</li>`);
  return `<${tag}>${items.join("")}</${tag}>`;
}

function block(node: BlockNode, base: string): string {
  switch (node.type) {
    case "paragraph":
      return `<p>${inline(node.content, base)}</p>`;
    case "heading":
      return `<h${node.attrs.level}>${inline(node.content, base)}</h${node.attrs.level}>`;
    case "blockquote":
      return `<blockquote>${node.content.map((p) => `<p>${inline(p.content, base)}</p>`).join("")}</blockquote>`;
    case "pullQuote":
      return `<blockquote><p><strong>${inline(node.content, base)}</strong></p></blockquote>`;
    case "bulletList":
    case "orderedList":
      return list(node, base);
    case "horizontalRule":
      return "<hr>";
    case "figure": {
      if (!isSafeImageSrc(node.attrs.src)) return "";
      const caption = [node.attrs.caption, node.attrs.credit].filter(Boolean).join(" ");
      return `<figure><img src="${escapeHtml(new URL(node.attrs.src, base).toString())}" alt="${escapeHtml(node.attrs.alt)}">${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ""}</figure>`;
    }
    default:
      return "";
  }
}

/** HTML for a document, with relative links and images made absolute against `base`. */
export function toHtml(blocks: BlockNode[], base: string): string {
  return blocks.map((node) => block(node, base)).join("\n");
}
