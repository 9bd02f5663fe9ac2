import type { BlockNode, InlineNode, ListNode, RichTextDoc } from "./schema";

function inlineText(content: InlineNode[] | undefined): string {
  return (content ?? []).map((node) => (node.type === "text" ? node.text : "\n")).join("");
}

function listText(list: ListNode): string {
  return list.content
    .map((item) => item.content.map((child) => (child.type === "paragraph" ? inlineText(child.content) : listText(child))).join("\n"))
    .join("\n");
}

function blockText(block: BlockNode): string {
  switch (block.type) {
    case "paragraph":
    case "heading":
    case "pullQuote":
      return inlineText(block.content);
    case "blockquote":
      return block.content.map((p) => inlineText(p.content)).join("\n");
    case "bulletList":
    case "orderedList":
      return listText(block);
    case "figure":
      return [block.attrs.caption, block.attrs.credit].filter(Boolean).join(" ");
    case "horizontalRule":
      return "";
  }
}

/** The readable text of a document, blocks separated by blank lines: for search, snippets and reading time. */
export function toPlainText(doc: RichTextDoc): string {
  return doc.content
    .map(blockText)
    .filter((text) => text.trim() !== "")
    .join("\n\n");
}

/** The text of each paragraph, in order. */
export function paragraphTexts(doc: RichTextDoc): string[] {
  return doc.content.flatMap((block) => (block.type === "paragraph" ? [inlineText(block.content)] : []));
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Minutes at 230 words a minute, at least one. */
export function readingMinutes(text: string): number {
  return Math.max(1, Math.round(wordCount(text) / 230));
}
