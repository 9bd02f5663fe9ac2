import type { BlockNode, InlineNode, ParagraphNode, RichTextDoc } from "./schema";

// Small builders for documents made by code (the importer, demo content).

export function textNodes(text: string): InlineNode[] {
  return text === "" ? [] : [{ type: "text", text }];
}

export function paragraph(text: string): ParagraphNode {
  return { type: "paragraph", content: textNodes(text) };
}

export function doc(blocks: BlockNode[]): RichTextDoc {
  return { type: "doc", content: blocks };
}
