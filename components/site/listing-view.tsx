import type { ArticleSummary } from "@/lib/articles/summaries";
import type { Listing } from "@/lib/pagination";
import { ArticleCard } from "./article-card";

export function ListingView({ basePath, listing, empty, timeZone }: { basePath: string; listing: Listing<ArticleSummary>; empty: string; timeZone: string }) {
  const { items, page, totalPages } = listing;
  if (items.length === 0) return <p className="py-12 text-muted">{empty}</p>;
  const href = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  return (
    <>
      <div className="grid gap-x-8 gap-y-10 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((article) => (
          <ArticleCard key={article.id} article={article} timeZone={timeZone} headingLevel={2} />
        ))}
      </div>
      {totalPages > 1 && (
        <nav aria-label="Pages" className="mt-12 flex items-center justify-between border-t border-rule pt-4 text-sm">
          {page > 1 ? (
            <a href={href(page - 1)} rel="prev" className="underline underline-offset-4">
              ← Newer
            </a>
          ) : (
            <span />
          )}
          <span className="text-muted">
            Page {page} of {totalPages}
          </span>
          {page < totalPages ? (
            <a href={href(page + 1)} rel="next" className="underline underline-offset-4">
              Older →
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}

export function ListingHeader({ kicker, title, children }: { kicker: string; title: string; children?: React.ReactNode }) {
  return (
    <header className="mb-10 border-b-2 border-ink pb-4">
      <p className="text-xs font-semibold uppercase tracking-wider text-accent">{kicker}</p>
      <h1 className="mt-1 font-serif text-4xl font-bold">{title}</h1>
      {children}
    </header>
  );
}
