import { describe, expect, it } from "vitest";
import { ImportError } from "@/lib/import/errors";
import { parseMarkdownArticle } from "@/lib/import/markdown";
import { paragraphTexts } from "@/lib/rich-text/plain-text";

const errorMessage = (text: string): string => {
  try {
    parseMarkdownArticle(text);
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error("expected an ImportError");
};

describe("Markdown with front matter", () => {
  it("reads every front matter field and the body", () => {
    const article = parseMarkdownArticle(`---
title: "The lighthouse keepers"
dek: Two keepers, one light.
section: culture
tags: [Coast, History]
authors:
  - Ada Lovelace
source_name: Example Post
source_url: https://example.com/lighthouse
published_at: 2026-03-29T14:00:00Z
---
First **bold** paragraph with [a link](https://example.org).

## Later

- one
- two

> quoted
`);
    expect(article).toMatchObject({
      title: "The lighthouse keepers",
      dek: "Two keepers, one light.",
      section: "culture",
      tags: ["Coast", "History"],
      authors: ["Ada Lovelace"],
      sourceName: "Example Post",
      sourceUrl: "https://example.com/lighthouse",
    });
    expect(article.publishedAt?.toISOString()).toBe("2026-03-29T14:00:00.000Z");
    expect(article.body.content.map((b) => b.type)).toEqual(["paragraph", "heading", "bulletList", "blockquote"]);
    expect(article.body.content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "First " },
        { type: "text", text: "bold", marks: [{ type: "bold" }] },
        { type: "text", text: " paragraph with " },
        { type: "text", text: "a link", marks: [{ type: "link", attrs: { href: "https://example.org" } }] },
        { type: "text", text: "." },
      ],
    });
  });

  it("takes the title from a leading # heading when the front matter has none", () => {
    const article = parseMarkdownArticle("# Headline here\n\nBody text.\n");
    expect(article.title).toBe("Headline here");
    expect(paragraphTexts(article.body)).toEqual(["Body text."]);
  });

  it("links reference-style links through their definitions, and keeps every word of lists and images in quotes", () => {
    const article = parseMarkdownArticle(
      "# Harbour report\n\nRead [the report][1] and [the Minutes][minutes].\n\n> Keepers said:\n>\n> - lamps\n> - logs\n>\n> ![A lamp room](https://example.org/lamp.jpg)\n\n[1]: https://example.org/report\n[Minutes]: https://example.org/minutes\n",
    );
    type Inline = { text: string; marks?: { type: string; attrs?: { href: string } }[] };
    const [first, quote] = article.body.content as [{ content: Inline[] }, { type: string; content: { content: Inline[] }[] }];
    expect(first.content.map((node) => [node.text, node.marks?.[0]?.attrs?.href])).toEqual([
      ["Read ", undefined],
      ["the report", "https://example.org/report"],
      [" and ", undefined],
      ["the Minutes", "https://example.org/minutes"],
      [".", undefined],
    ]);
    expect(quote.type).toBe("blockquote");
    expect(quote.content.map((paragraph) => paragraph.content.map((node) => node.text).join(""))).toEqual(["Keepers said:", "• lamps", "• logs", "[A lamp room]"]);
  });

  it("refuses a reference link whose definition is not a safe address, naming the line", () => {
    expect(errorMessage("# T\n\nSee [this][x].\n\n[x]: javascript:alert(1)\n")).toMatch(/^line 3: the link "javascript:alert\(1\)" is not allowed/);
  });

  it("keeps raw HTML as the text that was typed", () => {
    const article = parseMarkdownArticle("# T\n\n<script>alert(1)</script>\n\nBody <b>x</b>.\n");
    expect(paragraphTexts(article.body)).toEqual(["<script>alert(1)</script>", "Body <b>x</b>."]);
  });

  it("names the line of an unknown front matter field", () => {
    expect(errorMessage("---\ntitle: A\nsubtitle: B\n---\nBody.\n")).toBe(
      'line 3: unknown front matter field "subtitle"; known fields: title, dek, section, tags, authors, author, source_name, source_url, published_at',
    );
  });

  it("names the line of broken YAML and of a bad date", () => {
    expect(errorMessage("---\ntitle: A\ntags: [unclosed\n---\nBody.\n")).toMatch(/^line \d+: front matter is not valid YAML/);
    expect(errorMessage("---\ntitle: A\npublished_at: next tuesday\n---\nBody.\n")).toMatch(/^line 3: published_at "next tuesday" is not a date/);
  });

  it("names the line of a javascript: link", () => {
    expect(errorMessage("---\ntitle: A\n---\nIntro.\n\nClick [here](javascript:alert(1)).\n")).toMatch(/^line 6: the link "javascript:alert\(1\)" is not allowed/);
  });

  it("needs a title and a body", () => {
    expect(errorMessage("Just a paragraph.\n")).toMatch(/no title/);
    expect(errorMessage("---\ntitle: A\n---\n")).toMatch(/no body paragraphs/);
    expect(errorMessage("---\ntitle: A\n")).toMatch(/^line 1: the front matter starting here is never closed/);
  });
});
