import { describe, expect, it } from "vitest";
import { MAX_QUERY_LENGTH, parseSearchResultsPath, searchResultsPath } from "@/lib/search/query-text";

const segments = (path: string) => path.split("/").slice(2);

describe("cacheable search paths", () => {
  it("round-trips a normalized query, its page and whether it was shortened", () => {
    for (const [raw, page] of [["river", 1], ['"spiral stairs" -sourdough OR lighthouse', 3], ["éclair ünïcode 東京 ' OR 1=1 --", 2], ["a/b?c#d%20e", 1]] as const) {
      const path = searchResultsPath(raw, page);
      expect(path).toMatch(/^\/search\/[A-Za-z0-9_-]+\/\d+\/[01]$/);
      expect(parseSearchResultsPath(segments(path))).toEqual({ query: raw, page, truncated: false });
    }
  });

  it("gives one path to spellings of one search, so they share a cache entry", () => {
    expect(searchResultsPath("  solar \n\t eclipse ", 1)).toBe(searchResultsPath("solar eclipse", 1));
  });

  it("maps an empty or blank query to the plain search page", () => {
    expect(searchResultsPath("", 1)).toBe("/search");
    expect(searchResultsPath(" \u0000 \t", 4)).toBe("/search");
    expect(parseSearchResultsPath(undefined)).toEqual({ query: "", page: 1, truncated: false });
  });

  it("marks a 10 kB query as shortened, within the query length cap", () => {
    const parsed = parseSearchResultsPath(segments(searchResultsPath("word ".repeat(2000), 1)));
    expect(parsed?.truncated).toBe(true);
    expect(parsed!.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
  });

  it("round-trips the longest queries in any script, four-byte characters included", () => {
    // at the length cap: kept whole
    for (const raw of ["東".repeat(MAX_QUERY_LENGTH), "щ".repeat(MAX_QUERY_LENGTH), "🗞".repeat(MAX_QUERY_LENGTH / 2)]) {
      expect(parseSearchResultsPath(segments(searchResultsPath(raw, 2))), raw.slice(0, 4)).toEqual({ query: raw, page: 2, truncated: false });
    }
    // past it: shortened, still a page
    expect(parseSearchResultsPath(segments(searchResultsPath("東京 ".repeat(120), 1)))?.truncated).toBe(true);
  });

  it("refuses segments it did not write", () => {
    const valid = segments(searchResultsPath("river", 1));
    for (const bad of [["cml2ZXI"], ["cml2ZXI", "1"], ["cml2ZXI", "0", "0"], ["cml2ZXI", "1", "2"], ["cml2 ZXI", "1", "0"], ["..", "1", "0"], [...valid, "extra"], [Buffer.from(" river").toString("base64url"), "1", "0"]]) {
      expect(parseSearchResultsPath(bad)).toBeNull();
    }
  });
});
