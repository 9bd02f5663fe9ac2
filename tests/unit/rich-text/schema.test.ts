import { describe, expect, it } from "vitest";
import { parseRichText } from "@/lib/rich-text/schema";
import { paragraphTexts, readingMinutes, toPlainText } from "@/lib/rich-text/plain-text";

const text = (value: string, marks?: unknown[]) => ({ type: "text", text: value, ...(marks ? { marks } : {}) });

describe("the rich-text allow-list", () => {
  it("accepts every node the renderer draws", () => {
    const result = parseRichText({
      type: "doc",
      content: [
        { type: "paragraph", content: [text("Hello "), text("world", [{ type: "bold" }, { type: "link", attrs: { href: "https://example.com" } }])] },
        { type: "heading", attrs: { level: 2 }, content: [text("A heading")] },
        { type: "blockquote", content: [{ type: "paragraph", content: [text("Quoted")] }] },
        { type: "pullQuote", content: [text("Pulled")] },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("one")] }] }] },
        { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("three")] }] }] },
        { type: "horizontalRule" },
        { type: "figure", attrs: { src: "/media/0b0e5c3e-8f5a-4c55-9d41-0c3d2a9e7f10.webp", alt: "A harbour at dawn", caption: "Dawn" } },
      ],
    });
    expect(result.ok).toBe(true);
  });

  it("takes lists a dozen deep, and refuses absurd nesting with a message instead of running out of stack", () => {
    const nested = (depth: number) => {
      let list: unknown = { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [text("deepest", [{ type: "link", attrs: { href: "https://example.com" } }])] }] }] };
      for (let i = 1; i < depth; i++) list = { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [text(`level ${i}`)] }, list] }] };
      return { type: "doc", content: [list] };
    };
    expect(parseRichText(nested(12)).ok).toBe(true);
    for (const depth of [20, 50_000]) {
      const result = parseRichText(nested(depth));
      expect(result).toEqual({ ok: false, message: "body: lists are nested too deeply (a dozen levels at most)" });
    }
  });

  it("refuses javascript:, data: and protocol-relative links", () => {
    for (const href of ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "//evil.example/x", "java\tscript:alert(1)"]) {
      const result = parseRichText({ type: "doc", content: [{ type: "paragraph", content: [text("x", [{ type: "link", attrs: { href } }])] }] });
      expect(result.ok, href).toBe(false);
    }
  });

  it("refuses node types outside the list, such as raw HTML", () => {
    const result = parseRichText({ type: "doc", content: [{ type: "html", content: "<script>alert(1)</script>" }] });
    expect(result).toMatchObject({ ok: false });
  });

  it("strips attributes it does not know, such as event handlers", () => {
    const result = parseRichText({ type: "doc", content: [{ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [text("hi")] }] });
    expect(result.ok && result.doc.content[0]).toEqual({ type: "paragraph", content: [{ type: "text", text: "hi" }] });
  });

  it("requires alt text on images", () => {
    const result = parseRichText({ type: "doc", content: [{ type: "figure", attrs: { src: "https://example.com/a.jpg", alt: " " } }] });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("alt text") });
  });
});

describe("plain text", () => {
  it("joins blocks with blank lines and counts reading time", () => {
    const result = parseRichText({
      type: "doc",
      content: [
        { type: "paragraph", content: [text("First paragraph.")] },
        { type: "horizontalRule" },
        { type: "paragraph", content: [text("Second.")] },
      ],
    });
    if (!result.ok) throw new Error(result.message);
    expect(toPlainText(result.doc)).toBe("First paragraph.\n\nSecond.");
    expect(paragraphTexts(result.doc)).toEqual(["First paragraph.", "Second."]);
    expect(readingMinutes("word ".repeat(1150))).toBe(5);
  });
});
