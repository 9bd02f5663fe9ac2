import { Fragment } from "react";
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchResults } from "@/lib/search/queries";
import { Byline } from "./byline";
import { Time } from "./time";

/** Snippet text with the database's highlight markers turned into <mark>: text only, never HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <Fragment key={i}>{part}</Fragment>;
        const [marked = "", rest = ""] = part.split(HIGHLIGHT_END);
        return (
          <Fragment key={i}>
            <mark>{marked}</mark>
            {rest}
          </Fragment>
        );
      })}
    </>
  );
}

export function SearchResultsView({ results, timeZone }: { results: SearchResults; timeZone: string }) {
  const { query, hits, total, moreThanTotal, page, totalPages, truncated } = results;
  if (!query) return <p className="mt-8 text-muted">Type a few words: a name, a place, a phrase in “quotes”, or -word to leave one out.</p>;
  const href = (n: number) => `/search?q=${encodeURIComponent(query)}${n > 1 ? `&page=${n}` : ""}`;
  return (
    <section aria-labelledby="results-heading" className="mt-8">
      <h2 id="results-heading" className="text-sm text-muted" aria-live="polite">
        {total === 0
          ? `No stories match “${query}”.`
          : `${moreThanTotal ? `More than ${total}` : total} ${total === 1 ? "story matches" : "stories match"} “${query}”.`}
        {truncated && " (Your search was shortened to its first 200 characters.)"}
      </h2>
      {/* a broad search ranks its newest matches (lib/search/queries.ts): say so, and how to narrow it */}
      {moreThanTotal && <p className="mt-1 text-sm text-muted">Showing the most relevant of the newest; add a word to narrow the search.</p>}
      {total === 0 && <p className="mt-4">Try fewer or different words, or check the spelling.</p>}
      {page > totalPages && total > 0 && <p className="mt-4">There is no page {page}; the results end at page {totalPages}.</p>}
      <ol className="mt-6 space-y-8">
        {hits.map((hit) => (
          <li key={hit.id}>
            {hit.section && <p className="text-xs font-semibold uppercase tracking-wider text-accent">{hit.section.name}</p>}
            <h3 className="font-serif text-xl font-bold">
              <a href={`/article/${hit.slug}`} className="hover:underline">
                {hit.title}
              </a>
            </h3>
            <p className="mt-1 text-muted">
              <Snippet text={hit.snippet} />
            </p>
            <p className="mt-1 text-sm text-muted">
              <Byline authors={hit.authors} link={false} /> · <Time value={hit.publishedAt} timeZone={timeZone} />
            </p>
          </li>
        ))}
      </ol>
      {totalPages > 1 && page <= totalPages && (
        <nav aria-label="Result pages" className="mt-10 flex justify-between border-t border-rule pt-4 text-sm">
          {page > 1 ? <a href={href(page - 1)} className="underline">← Previous</a> : <span />}
          <span className="text-muted">Page {page} of {totalPages}</span>
          {page < totalPages ? <a href={href(page + 1)} className="underline">Next →</a> : <span />}
        </nav>
      )}
    </section>
  );
}
