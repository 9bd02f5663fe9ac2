import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SearchResultsView } from "@/components/site/search-results";
import { searchArticles } from "@/lib/search/queries";
import { feedLinks } from "@/lib/seo/metadata";
import { parseSearchResultsPath } from "@/lib/search/query-text";
import { getSiteSettings } from "@/lib/settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: "Search", robots: { index: false, follow: true }, alternates: { canonical: "/search", types: feedLinks(await getSiteSettings()) } };
}

// Readers ask /search?q=…&page=…; the proxy rewrites that onto /search/<query>/<page>/<shortened>
// (lib/search/query-text), so every results page is cached like any other reader page and expired
// by the search tag when anything is published.
export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

type Props = { params: Promise<{ terms?: string[] }> };

export default async function SearchPage({ params }: Props) {
  const request = parseSearchResultsPath((await params).terms);
  if (!request) notFound();
  const [found, { timeZone }] = await Promise.all([searchArticles(request.query, request.page), getSiteSettings()]);
  const results = { ...found, truncated: request.truncated };
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="font-serif text-4xl font-bold">Search</h1>
      <form action="/search" method="get" role="search" className="mt-6 flex gap-2">
        <label htmlFor="q" className="sr-only">
          Search the magazine
        </label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={results.query}
          maxLength={500}
          placeholder="Search stories"
          className="min-w-0 flex-1 rounded border border-rule bg-paper px-3 py-2"
        />
        <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
          Search
        </button>
      </form>
      <SearchResultsView results={results} timeZone={timeZone} />
    </div>
  );
}
