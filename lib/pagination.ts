export const PAGE_SIZE = 12;
export const MAX_PAGE = 10_000;

/** A page number from a URL: "2" → 2; absent → 1; anything else (0, -1, 1.5, "abc", huge) → null. */
export function parsePageParam(value: string | string[] | null | undefined): number | null {
  if (value === undefined || value === null) return 1;
  if (Array.isArray(value) || !/^[1-9]\d{0,4}$/.test(value)) return null;
  const page = Number(value);
  return page <= MAX_PAGE ? page : null;
}

export type Listing<T> = { items: T[]; page: number; totalPages: number; total: number };
