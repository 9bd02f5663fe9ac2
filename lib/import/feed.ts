import { XMLParser } from "fast-xml-parser";
import iconv from "iconv-lite";
import { ImportError } from "./errors";
import { htmlToLine, htmlToParagraphs } from "./html-text";

// RSS 2.0 and Atom feeds, read into plain-text items for the aggregator import.

export type FeedItem = { title: string; link: string; paragraphs: string[] };
export type Feed = { title: string; items: FeedItem[] };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // entities stay bounded: the feed is someone else's document
  processEntities: { enabled: true, maxEntityCount: 50, maxExpandedLength: 100_000 },
  isArray: (name) => name === "item" || name === "entry" || name === "link",
});

type Node = unknown;

/** The text of an element: a string, `#text` beside attributes, or (Atom xhtml) all the text inside. */
function textOf(node: Node): string {
  if (node === undefined || node === null) return "";
  if (typeof node === "string" || typeof node === "number" || typeof node === "boolean") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(" ");
  if (typeof node === "object") {
    return Object.entries(node)
      .filter(([key]) => !key.startsWith("@_"))
      .map(([, value]) => textOf(value))
      .join(" ");
  }
  return "";
}

const field = (node: Node, key: string): Node => (node && typeof node === "object" ? (node as Record<string, Node>)[key] : undefined);

/** Resolves a link against the feed's URL; only http(s) links are kept. */
function absoluteLink(href: string, base: string): string | null {
  if (!href.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * A feed's bytes as text, in the character set it declares: the Content-Type's charset, else the XML
 * declaration's encoding, else UTF-8 (XML's default). An unknown label reads as UTF-8.
 */
export function decodeFeedText(body: Uint8Array, contentType: string): string {
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1] ??
    /^(?:\uFEFF)?<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(new TextDecoder("latin1").decode(body.subarray(0, 200)))?.[1];
  // iconv-lite, not TextDecoder: Node's windows-1252 (also what "iso-8859-1" means on the web) leaves
  // 0x80–0x9F as control characters instead of “curly quotes”, dashes and the euro sign
  // and as browsers do, a feed labelled Latin-1 or ASCII is read as windows-1252, which it almost always is
  const label = declared && /^(iso-?8859-1|latin-?1|l1|us-ascii|ascii)$/i.test(declared) ? "windows-1252" : declared;
  if (label && !/^utf-?8$/i.test(label) && iconv.encodingExists(label)) return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), label);
  return new TextDecoder("utf-8").decode(body);
}

/** Parses an RSS 2.0 or Atom document. Throws ImportError for anything else. `baseUrl` resolves relative links. */
export function parseFeed(xml: string, baseUrl: string): Feed & { skipped: number } {
  let tree: Record<string, Node>;
  try {
    tree = parser.parse(xml, true) as Record<string, Node>;
  } catch (error) {
    throw new ImportError(`the feed is not well-formed XML (${(error as Error).message.split("\n")[0]})`);
  }
  const rss = field(tree.rss, "channel") ?? field(tree["rdf:RDF"], "channel");
  const atom = tree.feed;
  let title: string;
  let raw: { title: string; link: string | null; content: string }[];
  if (rss) {
    title = htmlToLine(textOf(field(rss, "title")));
    const items = (field(rss, "item") ?? field(tree["rdf:RDF"], "item") ?? []) as Node[];
    raw = items.map((item) => ({
      title: textOf(field(item, "title")),
      link: absoluteLink(textOf((field(item, "link") as Node[] | undefined)?.[0]) || linkFromGuid(item), baseUrl),
      content: textOf(field(item, "content:encoded")) || textOf(field(item, "description")),
    }));
  } else if (atom) {
    title = htmlToLine(textOf(field(atom, "title")));
    const entries = (field(atom, "entry") ?? []) as Node[];
    raw = entries.map((entry) => {
      const links = (field(entry, "link") ?? []) as Node[];
      const alternate = links.find((link) => [undefined, "alternate"].includes(field(link, "@_rel") as string | undefined)) ?? links[0];
      return {
        title: textOf(field(entry, "title")),
        link: absoluteLink(String(field(alternate, "@_href") ?? ""), baseUrl),
        content: textOf(field(entry, "content")) || textOf(field(entry, "summary")),
      };
    });
  } else {
    throw new ImportError("that document is neither an RSS 2.0 nor an Atom feed");
  }
  const items: FeedItem[] = [];
  let skipped = 0;
  for (const entry of raw) {
    const itemTitle = htmlToLine(entry.title).slice(0, 300).trim();
    // without a link there is no source to attribute, nor a key to import it only once
    if (!entry.link || !itemTitle) {
      skipped++;
      continue;
    }
    items.push({ title: itemTitle, link: entry.link, paragraphs: htmlToParagraphs(entry.content) });
  }
  return { title: title.slice(0, 200).trim(), items, skipped };
}

function linkFromGuid(item: Node): string {
  const guid = field(item, "guid");
  const permalink = field(guid, "@_isPermaLink");
  return permalink === "false" ? "" : textOf(guid);
}
