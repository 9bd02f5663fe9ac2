import { NextResponse, type NextRequest } from "next/server";

// Routing conveniences only, no data access:
// - Next.js answers 500 when it cannot percent-decode a path; a malformed address is the visitor's
//   mistake, so say so with a 400 before routing.
// - Listings are paginated as ?page=N for readers, rewritten onto /<kind>/<slug>/page/N so every
//   page is a cacheable route of its own.
// TODO(#4): redirect anonymous visitors away from /editor.

const LISTING = /^\/(section|tag|author)\/[^/]+$/;

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
  } catch {
    return badRequest("The address contains an invalid percent-encoding.");
  }
  if (/%00|[\u0000-\u001f]/i.test(pathname)) return badRequest("The address contains control characters.");

  const page = searchParams.has("page") ? pageNumber(searchParams.getAll("page")) : 1;
  if (!page) return badRequest("page must be a whole number from 1 to 10000.");
  if (LISTING.test(pathname) && searchParams.has("page")) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("page");
    if (page > 1) url.pathname = `${pathname}/page/${page}`;
    return NextResponse.rewrite(url);
  }
  return NextResponse.next();
}

function pageNumber(values: string[]): number | null {
  const [value] = values;
  if (values.length !== 1 || !value || !/^[1-9]\d{0,4}$/.test(value)) return null;
  return Number(value) <= 10_000 ? Number(value) : null;
}

function badRequest(message: string) {
  return new NextResponse(`Bad request: ${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
