import { isValidSlug } from "@/lib/slug";
import { parsePageParam } from "@/lib/pagination";

/**
 * Reads /<kind>/<slug> and /<kind>/<slug>/page/<n> (the proxy maps ?page=n onto the latter, so every
 * page of a listing is cacheable). Null for anything else: the caller answers 404.
 */
export function parseListingParams(slug: string, rest: string[] | undefined): { slug: string; page: number } | null {
  if (!isValidSlug(slug)) return null;
  if (!rest || rest.length === 0) return { slug, page: 1 };
  if (rest.length !== 2 || rest[0] !== "page") return null;
  const page = parsePageParam(rest[1]);
  return page && page > 1 ? { slug, page } : null;
}

export function pagePath(basePath: string, page: number): string {
  return page === 1 ? basePath : `${basePath}?page=${page}`;
}

/** Awaits a listing route's params and loads that page of it, or null for a malformed address. */
export async function loadListing<T>(
  params: Promise<{ slug: string; page?: string[] }>,
  get: (slug: string, page: number) => Promise<T | null>,
): Promise<T | null> {
  const { slug, page } = await params;
  const parsed = parseListingParams(slug, page);
  return parsed ? get(parsed.slug, parsed.page) : null;
}
