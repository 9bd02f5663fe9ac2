import { Parser } from "htmlparser2";
import { withoutControlCharacters } from "@/lib/text";

// Feed items carry HTML from someone else's site: only its text is kept, as paragraphs, never markup.

// whose contents are code or chrome, not prose
const SKIPPED = new Set(["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "select", "textarea", "button", "form"]);
const BLOCKS = new Set([
  "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
  "table", "tr", "section", "article", "header", "footer", "aside", "figure", "figcaption", "main", "nav", "address",
]);

/** The text of an HTML fragment, split into paragraphs at block elements; entities decoded, whitespace collapsed. */
export function htmlToParagraphs(html: string): string[] {
  const parts: string[] = [""];
  let skipping = 0;
  const breakParagraph = () => {
    if (parts[parts.length - 1]!.trim() !== "") parts.push("");
  };
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED.has(name)) skipping++;
        else if (BLOCKS.has(name)) breakParagraph();
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCKS.has(name)) breakParagraph();
      },
      ontext(text) {
        if (skipping === 0) parts[parts.length - 1] += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.end(html);
  return parts.map((part) => withoutControlCharacters(part).replace(/\s+/g, " ").trim()).filter(Boolean);
}

/** One line of text (a headline, a feed's name) from HTML or plain text. */
export function htmlToLine(html: string): string {
  return htmlToParagraphs(html).join(" ");
}
