import type { Metadata } from "next";
import { SearchResultsView } from "@/components/site/search-results";
import { parsePageParam } from "@/lib/pagination";
import { searchArticles } from "@/lib/search/queries";

export const metadata: Metadata = { title: "Search", robots: { index: false, follow: true }, alternates: { canonical: "/search" } };

type Props = { searchParams: Promise<{ q?: string | string[]; page?: string | string[] }> };

export default async function SearchPage({ searchParams }: Props) {
  const params = await searchParams;
  const q = Array.isArray(params.q) ? (params.q[0] ?? "") : (params.q ?? "");
  const page = parsePageParam(params.page) ?? 1; // the proxy already refused malformed pages with 400
  const results = await searchArticles(q, page);
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
      <SearchResultsView results={results} />
    </div>
  );
}
