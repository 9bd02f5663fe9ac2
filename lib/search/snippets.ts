// Search snippets are cut and highlighted here rather than by PostgreSQL's ts_headline, which
// re-parses and stems each result's whole text: 7 ms of a 19 ms search on PGlite at 100,000
// articles. The database still says which words match, as it alone stems exactly as the index did
// (Snowball's English changes between PostgreSQL versions), but it is asked only about the few
// distinct words that could: English stemming never changes a word's first letter.

/** Marks around a highlighted word: private-use characters, never HTML (the page turns them into <mark>). */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";

const WORD_CHARACTER = /^[\p{L}\p{M}\p{N}]$/u;
const MARKERS = /[\uE000\uE001]/g;
/** A lexeme in a tsquery's text form ('' escapes a quote), or one of the operators that decide its sign. */
const TSQUERY_TOKEN = /'((?:[^']|'')*)'|!|\(|\)/g;

/**
 * The lexemes a tsquery (its text form, as PostgreSQL prints it) asks to find: every one not under
 * a NOT, so `election -council` highlights "election" and never "council".
 */
export function wantedLexemes(tsqueryText: string): Set<string> {
  const wanted = new Set<string>();
  const groupNegated: boolean[] = [];
  let not = false;
  for (const [token, lexeme] of tsqueryText.matchAll(TSQUERY_TOKEN)) {
    const negated = (groupNegated.at(-1) ?? false) !== not;
    if (token === "!") {
      not = !not;
      continue;
    }
    if (token === "(") groupNegated.push(negated);
    else if (token === ")") groupNegated.pop();
    else if (!negated) wanted.add(lexeme!.replaceAll("''", "'"));
    not = false;
  }
  return wanted;
}

type Word = { start: number; end: number };
/** A text with where its words are: split once, read for candidates and then for the snippet. */
export type SplitText = { text: string; words: Word[] };

export function splitWords(text: string): SplitText {
  return { text, words: wordsOf(text) };
}

/**
 * The distinct words of `texts`, lowercased, that could stem to a wanted lexeme (those sharing its
 * first letter): the ones to ask the database about (see lib/search/queries).
 */
export function candidateWords(texts: SplitText[], wanted: Set<string>): string[] {
  const initials = new Set([...wanted].map((lexeme) => lexeme[0]));
  const candidates = new Set<string>();
  for (const { text, words } of texts) {
    for (const w of words) if (initials.has(text[w.start]!.toLowerCase())) candidates.add(text.slice(w.start, w.end).toLowerCase());
  }
  return [...candidates];
}

export type SnippetOptions = { wordsPerFragment?: number; fragments?: number };

/**
 * Up to `fragments` passages of `wordsPerFragment` words from `text`, those holding the most
 * distinct wanted lexemes (then the most matches, then the earliest), in text order and joined by
 * " … ", with each matching word between HIGHLIGHT_START and HIGHLIGHT_END. `matching` maps each
 * matching word, lowercased, to its lexeme. Without a match (the title or standfirst matched), the
 * text's opening words.
 */
export function highlightedSnippet({ text, words }: SplitText, matching: Map<string, string>, { wordsPerFragment = 28, fragments = 2 }: SnippetOptions = {}): string {
  const initials = new Set([...matching.keys()].map((word) => word[0]));
  const lexemes = words.map((w) => (initials.has(text[w.start]!.toLowerCase()) ? matching.get(text.slice(w.start, w.end).toLowerCase()) : undefined));
  const hits = lexemes.flatMap((lexeme, i) => (lexeme === undefined ? [] : [i]));
  if (hits.length === 0) return passage(text, words, 0, Math.min(words.length, wordsPerFragment), new Set());

  // a window per match, starting a few words before it so the match reads in context
  const lead = Math.floor(wordsPerFragment / 5);
  const windows = [...new Set(hits.map((i) => Math.max(0, Math.min(i - lead, words.length - wordsPerFragment))))].map((start) => {
    const end = Math.min(words.length, start + wordsPerFragment);
    const inside = hits.filter((i) => i >= start && i < end);
    return { start, end, distinct: new Set(inside.map((i) => lexemes[i])).size, count: inside.length };
  });
  windows.sort((a, b) => b.distinct - a.distinct || b.count - a.count || a.start - b.start);
  const chosen: typeof windows = [];
  for (const w of windows) {
    if (chosen.length === fragments) break;
    if (chosen.every((c) => w.end <= c.start || w.start >= c.end)) chosen.push(w);
  }
  const marked = new Set(hits);
  return chosen
    .sort((a, b) => a.start - b.start)
    .map((w) => passage(text, words, w.start, w.end, marked))
    .join(" … ");
}

/**
 * Where each word of `text` starts and ends: runs of letters, marks and digits, as PostgreSQL's parser
 * splits them for stemming ("river's" is "river" and "s"). A loop rather than a Unicode regular
 * expression, which took five times as long over a page of results.
 */
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff; // a character outside the BMP takes two units
    const isWord = code < 128 ? (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122) : WORD_CHARACTER.test(text.slice(i, pair ? i + 2 : i + 1));
    if (isWord && start < 0) start = i;
    if (!isWord && start >= 0) {
      words.push({ start, end: i });
      start = -1;
    }
    if (pair) i++;
  }
  if (start >= 0) words.push({ start, end: text.length });
  return words;
}

/** The text from word `from` to word `to` (exclusive), whitespace collapsed, marked words highlighted. */
function passage(text: string, words: Word[], from: number, to: number, marked: Set<number>): string {
  if (from >= to) return "";
  let out = "";
  let at = words[from]!.start;
  for (let i = from; i < to; i++) {
    const w = words[i]!;
    // stored text never brings its own highlight markers
    out += text.slice(at, w.start).replace(/\s+/g, " ").replace(MARKERS, "");
    const word = text.slice(w.start, w.end);
    out += marked.has(i) ? `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}` : word;
    at = w.end;
  }
  return out;
}
