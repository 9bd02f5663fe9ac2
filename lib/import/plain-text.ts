import { doc, paragraph } from "@/lib/rich-text/build";
import { isHttpUrl } from "@/lib/rich-text/urls";
import { ImportError } from "./errors";

export type ImportedArticle = {
  title: string;
  dek?: string | null;
  body: ReturnType<typeof doc>;
  section?: string | null;
  tags?: string[];
  authors?: string[];
  sourceName?: string | null;
  sourceUrl?: string | null;
  publishedAt?: Date | null;
  /** The line of a closing "Go To Source" that named no URL: the caller must supply one. */
  sourceLineWithoutUrl?: number;
};

type Block = { text: string; line: number };

const MASTHEAD = /^top (1|one) magazine$/i;
const GO_TO_SOURCE = /^go to source\b[\s:–—-]*(.*)$/i;
const MAX_HEADLINE = 300;

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  let start = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    // a blank line ends a paragraph; so does a "Go To Source" line typed straight under it
    if (line === "" || (GO_TO_SOURCE.test(line) && current.length)) {
      if (current.length) blocks.push({ text: current.join(" "), line: start });
      current = [];
    }
    if (line !== "") {
      if (!current.length) start = index + 1;
      current.push(line);
    }
  });
  if (current.length) blocks.push({ text: current.join(" "), line: start });
  return blocks;
}

/**
 * Reads an article in the magazine's plain-text format: masthead lines, the headline, body paragraphs
 * separated by blank lines, and an optional closing "Go To Source" line, alone or followed by a URL.
 */
export function parsePlainTextArticle(text: string, extraMastheads: string[] = []): ImportedArticle {
  const blocks = blocksOf(text);
  const mastheads = new Set(extraMastheads.map((name) => name.trim().toLowerCase()));
  while (blocks[0] && (MASTHEAD.test(blocks[0].text) || mastheads.has(blocks[0].text.toLowerCase()))) blocks.shift();

  const headline = blocks.shift();
  if (!headline) throw new ImportError("the file has no headline: it is empty or holds only the masthead", 1);
  if (headline.text.length > MAX_HEADLINE) {
    throw new ImportError(`the headline is ${headline.text.length} characters long; at most ${MAX_HEADLINE} are allowed (is a blank line missing after it?)`, headline.line);
  }
  if (GO_TO_SOURCE.test(headline.text)) throw new ImportError("the file has a \"Go To Source\" line but no headline", headline.line);

  let sourceUrl: string | null = null;
  let sourceLineWithoutUrl: number | undefined;
  // the URL may share the "Go To Source" line or stand alone after it
  const urlAlone = blocks.length >= 2 && isHttpUrl(blocks.at(-1)!.text) && GO_TO_SOURCE.test(blocks.at(-2)!.text) ? blocks.pop() : undefined;
  const last = blocks.at(-1);
  const closing = last ? GO_TO_SOURCE.exec(last.text) : null;
  if (last && closing) {
    blocks.pop();
    // "Go To Source." or "Go To Source: <https://…>." — the punctuation around a URL is not part of it
    let rest = (urlAlone?.text ?? closing[1] ?? "").trim().replace(/^</, "").replace(/[>.,;:!]+$/, "");
    if (rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1);
    if (rest && !isHttpUrl(rest)) {
      throw new ImportError(`"Go To Source" is followed by "${rest.slice(0, 80)}", which is not an http(s) URL`, last.line);
    }
    if (rest) sourceUrl = rest;
    else sourceLineWithoutUrl = last.line;
  }
  const stray = blocks.find((block) => GO_TO_SOURCE.test(block.text));
  if (stray) throw new ImportError("\"Go To Source\" must be the last line of the article", stray.line);
  if (blocks.length === 0) throw new ImportError("the article has a headline but no body paragraphs", headline.line);

  return {
    title: headline.text,
    body: doc(blocks.map((block) => paragraph(block.text))),
    sourceUrl,
    sourceLineWithoutUrl,
  };
}
