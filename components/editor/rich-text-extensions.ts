import { mergeAttributes, Node } from "@tiptap/core";
import { Blockquote } from "@tiptap/extension-blockquote";
import { ListItem } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";

// The editor's document model, matched to the stored allow-list (lib/rich-text/schema.ts): what the
// editor can make, the server accepts and the reader page renders. No code blocks, headings 2–4,
// quotes of paragraphs, list items of paragraphs and lists; pull quotes and figures (library images
// with alt text, caption and credit) are our own nodes. Pasted images are dropped: images come from
// the media library.

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    pullQuote: { togglePullQuote: () => ReturnType };
    figure: { insertFigure: (attrs: FigureAttrs) => ReturnType };
  }
}

export type FigureAttrs = { src: string; alt: string; caption: string | null; credit: string | null; mediaId: string | null };

const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "inline*",
  defining: true,
  parseHTML: () => [{ tag: "aside[data-pull-quote]" }],
  renderHTML: ({ HTMLAttributes }) => ["aside", mergeAttributes(HTMLAttributes, { "data-pull-quote": "", class: "pull-quote" }), 0],
  addCommands() {
    return { togglePullQuote: () => ({ commands }) => commands.toggleNode(this.name, "paragraph") };
  },
});

const Figure = Node.create({
  name: "figure",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes: () => ({ src: { default: null }, alt: { default: "" }, caption: { default: null }, credit: { default: null }, mediaId: { default: null } }),
  parseHTML: () => [
    {
      tag: "figure[data-figure]",
      getAttrs: (element) => {
        const img = element.querySelector("img");
        return { src: img?.getAttribute("src"), alt: img?.getAttribute("alt") ?? "", caption: element.getAttribute("data-caption"), credit: element.getAttribute("data-credit"), mediaId: element.getAttribute("data-media-id") };
      },
    },
  ],
  renderHTML: ({ node }) => {
    const attrs = node.attrs as FigureAttrs;
    const text = [attrs.caption, attrs.credit && `Credit: ${attrs.credit}`].filter(Boolean).join(" · ");
    return ["figure", { "data-figure": "", "data-caption": attrs.caption ?? "", "data-credit": attrs.credit ?? "", "data-media-id": attrs.mediaId ?? "" }, ["img", { src: attrs.src, alt: attrs.alt }], ["figcaption", {}, text]];
  },
  addCommands() {
    return { insertFigure: (attrs) => ({ commands }) => commands.insertContent({ type: this.name, attrs }) };
  },
});

export const editorExtensions = [
  StarterKit.configure({
    codeBlock: false,
    blockquote: false,
    listItem: false,
    heading: { levels: [2, 3, 4] },
    link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"], defaultProtocol: "https" },
  }),
  Blockquote.extend({ content: "paragraph+" }),
  ListItem.extend({ content: "paragraph (paragraph | bulletList | orderedList)*" }),
  PullQuote,
  Figure,
];

/**
 * Google Docs wraps a whole paste in <b style="font-weight:normal">, which would make everything
 * bold; unwrap it. Word's and Docs' styles and classes are otherwise ignored by the schema.
 */
export function cleanPastedHtml(html: string): string {
  if (typeof DOMParser === "undefined") return html;
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const wrapper of Array.from(parsed.querySelectorAll('b[id^="docs-internal-guid"]'))) wrapper.replaceWith(...Array.from(wrapper.childNodes));
  for (const element of Array.from(parsed.querySelectorAll("img, o\\:p, style, script"))) element.remove();
  return parsed.body.innerHTML;
}
