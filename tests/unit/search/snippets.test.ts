import { describe, expect, it } from "vitest";
import { candidateWords as candidatesIn, HIGHLIGHT_END, HIGHLIGHT_START, highlightedSnippet as snippetOf, type SnippetOptions, splitWords, wantedLexemes } from "@/lib/search/snippets";

// [word] for a highlighted word, so expectations read as text
const shown = (snippet: string) => snippet.replaceAll(HIGHLIGHT_START, "[").replaceAll(HIGHLIGHT_END, "]");
// the texts as the search splits them, once each
const candidateWords = (texts: string[], wanted: Set<string>) => candidatesIn(texts.map(splitWords), wanted);
const highlightedSnippet = (text: string, matching: Map<string, string>, options?: SnippetOptions) => snippetOf(splitWords(text), matching, options);
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe("the lexemes a search looks for (from PostgreSQL's text form of its tsquery)", () => {
  it("takes every lexeme of a plain, phrase or OR search", () => {
    expect(wantedLexemes("'river'")).toEqual(new Set(["river"]));
    expect(wantedLexemes("'market' <-> 'hall'")).toEqual(new Set(["market", "hall"]));
    expect(wantedLexemes("'librari' | 'museum'")).toEqual(new Set(["librari", "museum"]));
  });

  it("leaves out what is excluded, alone or as a group", () => {
    expect(wantedLexemes("'elect' & !'council'")).toEqual(new Set(["elect"]));
    expect(wantedLexemes("!'b' & 'c'")).toEqual(new Set(["c"]));
    expect(wantedLexemes("!( 'solar' <-> 'eclips' ) & 'moon'")).toEqual(new Set(["moon"]));
    expect(wantedLexemes("'x' | !'y'")).toEqual(new Set(["x"]));
  });

  it("reads doubled quotes inside a lexeme, and finds nothing in an empty query", () => {
    expect(wantedLexemes("'o''brien' & 'pub'")).toEqual(new Set(["o'brien", "pub"]));
    expect(wantedLexemes("")).toEqual(new Set());
  });
});

describe("the words worth asking the database to stem", () => {
  it("are the distinct lowercased words sharing a wanted lexeme's first letter", () => {
    const words = candidateWords(["Rivers rose. The river's banks held; Ruth rowed.", "A riverside café, 2026."], new Set(["river", "2026"]));
    expect(words.sort()).toEqual(["2026", "river", "riverside", "rivers", "rose", "rowed", "ruth"].sort());
  });

  it("split as PostgreSQL splits words: at apostrophes, hyphens and punctuation, keeping accents and other scripts", () => {
    expect(candidateWords(["sun-drenched naïve café’s 東京 𠀋x"], new Set(["s", "d", "n", "c", "東", "𠀋"[0]!])).sort()).toEqual(["café", "drenched", "naïve", "s", "sun", "東京", "𠀋x"].sort());
  });
});

// what the database answers for the candidate words: each matching form with its lexeme
const matches = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe("snippets", () => {
  it("highlights every matching form of a word, whatever its case, and nothing else", () => {
    const text = "Rivers rose overnight. The river's banks held, but the riverside path flooded.";
    expect(shown(highlightedSnippet(text, matches({ rivers: "river", river: "river" })))).toBe("[Rivers] rose overnight. The [river]'s banks held, but the riverside path flooded");
  });

  it("cuts passages of a bounded number of words around the matches, in text order, joined by an ellipsis", () => {
    const filler = (n: number, word = "filler") => Array.from({ length: n }, () => word).join(" ");
    const text = `${filler(40)} a glacier here ${filler(40)} the glacier and the museum together ${filler(40)} museum again ${filler(40)}`;
    const snippet = highlightedSnippet(text, matches({ glacier: "glacier", museum: "museum" }), { wordsPerFragment: 10, fragments: 2 });
    const [first, second, ...rest] = snippet.split(" … ");
    expect(rest).toEqual([]);
    // the passage with both words first in rank, but the two shown in the order of the text
    expect(shown(first!)).toContain("a [glacier] here");
    expect(shown(second!)).toContain("the [glacier] and the [museum] together");
    for (const passage of [first!, second!]) expect(wordCount(passage)).toBeLessThanOrEqual(10);
  });

  it("shows the opening words when only the headline or standfirst matched", () => {
    const text = "One two three four five six seven eight nine ten eleven twelve.";
    expect(highlightedSnippet(text, matches({}), { wordsPerFragment: 5 })).toBe("One two three four five");
  });

  it("collapses paragraph breaks and never passes on highlight markers found in the stored text", () => {
    const text = `First paragraph ends.\n\nSecond ${HIGHLIGHT_START}fake${HIGHLIGHT_END} mark and a ferry.`;
    expect(shown(highlightedSnippet(text, matches({ ferry: "ferri" })))).toBe("First paragraph ends. Second fake mark and a [ferry]");
  });

  it("returns an empty snippet for an empty text", () => {
    expect(highlightedSnippet("", matches({ river: "river" }))).toBe("");
  });
});
