import { describe, expect, it } from "vitest";
import { decodeFeedText } from "@/lib/import/feed";

// Feeds in other character sets than UTF-8 import as their authors wrote them, not as U+FFFD.

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("a feed's text", () => {
  it("follows the Content-Type charset", () => {
    expect(decodeFeedText(latin1("<rss><title>Caf\u00e9 cr\u00e8me</title></rss>"), "application/rss+xml; charset=ISO-8859-1")).toContain("Café crème");
    // labelled Latin-1, written in windows-1252 (as browsers assume): its curly quotes and euro sign
    expect(decodeFeedText(latin1("<title>\u0093Five \u0080\u0094 cheap\u0094</title>"), "text/xml; charset=iso-8859-1")).toBe("<title>“Five €” cheap”</title>");
    expect(decodeFeedText(latin1("<title>\u00e9t\u00e9</title>"), 'text/xml; charset="iso-8859-15"')).toBe("<title>été</title>");
  });

  it("follows the XML declaration when the header names none", () => {
    const bytes = latin1('<?xml version="1.0" encoding="windows-1252"?><rss><title>\u0093Quoted\u0094</title></rss>');
    expect(decodeFeedText(bytes, "text/xml")).toContain("“Quoted”");
  });

  it("reads UTF-8 by default, without its byte-order mark, and for a label it does not know", () => {
    const utf8 = new TextEncoder().encode("\uFEFF<rss><title>Zoë</title></rss>");
    expect(decodeFeedText(utf8, "application/xml")).toBe("<rss><title>Zoë</title></rss>");
    expect(decodeFeedText(new TextEncoder().encode("<rss>Zoë</rss>"), "text/xml; charset=x-no-such-set")).toBe("<rss>Zoë</rss>");
  });
});
