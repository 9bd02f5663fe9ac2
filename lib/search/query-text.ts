// Reader search text, shared by the proxy (which turns /search?q= into a cacheable path) and the
// search query. Pure functions: no database, safe in the proxy.

export const MAX_QUERY_LENGTH = 200;

/** Trims, collapses whitespace, drops control characters and caps the length of a reader's query. */
export function normalizeQuery(raw: string): { query: string; truncated: boolean } {
  const cleaned = raw.replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, " ").replace(/\s+/g, " ").trim();
  if (cleaned.length <= MAX_QUERY_LENGTH) return { query: cleaned, truncated: false };
  // cut at a word boundary: a half word would make every result miss
  const cut = cleaned.slice(0, MAX_QUERY_LENGTH + 1);
  const lastSpace = cut.lastIndexOf(" ");
  return { query: (lastSpace > 0 ? cut.slice(0, lastSpace) : cut.slice(0, MAX_QUERY_LENGTH)).trim(), truncated: true };
}

/**
 * The internal, cacheable path of one results page: /search/<query as base64url>/<page>/<1 if the
 * reader's query was shortened>. Readers never see it; the proxy rewrites /search?q=…&page=… onto it,
 * so each normalized query and page is rendered once and then served from the page cache.
 */
export function searchResultsPath(rawQuery: string, page: number): string {
  const { query, truncated } = normalizeQuery(rawQuery);
  if (!query) return "/search";
  return `/search/${Buffer.from(query, "utf8").toString("base64url")}/${page}/${truncated ? 1 : 0}`;
}

/** Reads the segments of searchResultsPath; null when they are not ones it writes. */
export function parseSearchResultsPath(segments: string[] | undefined): { query: string; page: number; truncated: boolean } | null {
  if (!segments || segments.length === 0) return { query: "", page: 1, truncated: false };
  const [encoded = "", page = "", truncated = ""] = segments;
  // MAX_QUERY_LENGTH characters of up to 4 UTF-8 bytes each, in base64url: at most 1,067 characters
  if (segments.length !== 3 || !/^[A-Za-z0-9_-]{1,1100}$/.test(encoded) || !/^[1-9]\d{0,4}$/.test(page) || !/^[01]$/.test(truncated)) return null;
  const query = Buffer.from(encoded, "base64url").toString("utf8");
  if (normalizeQuery(query).query !== query) return null;
  return { query, page: Number(page), truncated: truncated === "1" };
}
