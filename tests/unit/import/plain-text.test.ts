import { describe, expect, it } from "vitest";
import { ImportError } from "@/lib/import/errors";
import { parseArticleFile } from "@/lib/import/import-article";
import { parsePlainTextArticle } from "@/lib/import/plain-text";
import { paragraphTexts } from "@/lib/rich-text/plain-text";
import { readShared, sampleArticleParagraphs } from "../../fixtures/shared";

const file = (text: string) => new TextEncoder().encode(text);
const errorOf = (fn: () => unknown): ImportError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
};

describe("the plain-text article format", () => {
  it("reads the sample article: masthead dropped, headline, every paragraph in order", () => {
    const sample = sampleArticleParagraphs();
    const article = parseArticleFile(readShared("seed-article.txt"), { fileName: "seed-article.txt", sourceUrl: "https://example.com/original" });
    expect(article.title).toBe("Putin on the fritz? U.S. not buying Russia’s deescalation talk.");
    expect(article.title).toBe(sample.headline);
    expect(paragraphTexts(article.body)).toEqual(sample.paragraphs);
    expect(sample.paragraphs.length).toBeGreaterThan(25);
    expect(article.sourceUrl).toBe("https://example.com/original");
  });

  it("asks for a URL when the closing Go To Source line has none", () => {
    const error = errorOf(() => parseArticleFile(readShared("seed-article.txt"), { fileName: "seed-article.txt" }));
    expect(error.message).toMatch(/^line \d+: "Go To Source" names no URL; .*--source-url/);
  });

  it("takes the URL from the Go To Source line, or from the line after it", () => {
    const sameLine = parsePlainTextArticle("Headline\n\nBody.\n\nGo To Source: https://example.org/a");
    expect(sameLine.sourceUrl).toBe("https://example.org/a");
    const nextLine = parsePlainTextArticle("Headline\n\nBody.\n\nGo To Source\n\nhttps://example.org/b\n");
    expect(nextLine.sourceUrl).toBe("https://example.org/b");
    expect(paragraphTexts(nextLine.body)).toEqual(["Body."]);
  });

  it("finds the Go To Source line typed straight under the last paragraph, and the URL inside punctuation", () => {
    const joined = parsePlainTextArticle("Headline\n\nFirst paragraph.\n\nLast paragraph,\nwrapped.\nGo To Source https://example.org/c");
    expect(paragraphTexts(joined.body)).toEqual(["First paragraph.", "Last paragraph, wrapped."]);
    expect(joined.sourceUrl).toBe("https://example.org/c");
    for (const [line, url] of [
      ["Go To Source: <https://example.org/d>.", "https://example.org/d"],
      ["Go To Source (https://example.org/e)", "https://example.org/e"],
      ["Go To Source — https://example.org/wiki/Harbour_(town).", "https://example.org/wiki/Harbour_(town)"],
    ] as const) {
      expect(parsePlainTextArticle(`Headline\n\nBody.\n\n${line}`).sourceUrl, line).toBe(url);
    }
    // punctuation alone is still a line without a URL: the importer asks for one
    const bare = parsePlainTextArticle("Headline\n\nBody.\nGo To Source.");
    expect(bare).toMatchObject({ sourceUrl: null, sourceLineWithoutUrl: 4 });
    expect(paragraphTexts(bare.body)).toEqual(["Body."]);
  });

  it("names the line of a Go To Source that is not at the end", () => {
    expect(errorOf(() => parsePlainTextArticle("Headline\n\nGo To Source\n\nMore body.")).message).toBe(
      'line 3: "Go To Source" must be the last line of the article',
    );
  });

  it("refuses a URL that is not http(s)", () => {
    expect(errorOf(() => parsePlainTextArticle("Headline\n\nBody.\n\nGo To Source javascript:alert(1)")).message).toMatch(/^line 5: .*not an http\(s\) URL/);
  });

  it("explains empty files, missing bodies and over-long headlines", () => {
    expect(errorOf(() => parseArticleFile(file(""), { fileName: "a.txt" })).message).toBe("the file is empty");
    expect(errorOf(() => parseArticleFile(file("Top One Magazine\n\n"), { fileName: "a.txt" })).message).toMatch(/no headline/);
    expect(errorOf(() => parsePlainTextArticle("\n\nJust a headline\n")).message).toBe("line 3: the article has a headline but no body paragraphs");
    expect(errorOf(() => parsePlainTextArticle(`${"x".repeat(301)}\n\nbody`)).message).toMatch(/^line 1: the headline is 301 characters long/);
  });

  it("refuses binary files and other encodings", () => {
    expect(errorOf(() => parseArticleFile(new Uint8Array([0x48, 0x0a, 0x0a, 0x00, 0x01]), { fileName: "a.txt" })).message).toMatch(/^line 3: .*NUL byte/);
    expect(errorOf(() => parseArticleFile(new Uint8Array([0x48, 0xe9, 0x6c]), { fileName: "a.txt" })).message).toMatch(/not UTF-8/);
  });

  it("keeps Windows line endings from splitting paragraphs wrongly", () => {
    const article = parsePlainTextArticle("Headline\r\n\r\nOne.\r\n\r\nTwo.\r\n".replace(/\r\n/g, "\n"));
    expect(paragraphTexts(article.body)).toEqual(["One.", "Two."]);
    const decoded = parseArticleFile(file("Headline\r\n\r\nOne.\r\n\r\nTwo.\r\n"), { fileName: "a.txt" });
    expect(paragraphTexts(decoded.body)).toEqual(["One.", "Two."]);
  });
});
