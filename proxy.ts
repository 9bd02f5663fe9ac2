import { NextResponse, type NextRequest } from "next/server";
import { searchResultsPath } from "@/lib/search/query-text";

// Routing conveniences only, no data access:
// - Next.js answers 500 when it cannot percent-decode a path; a malformed address is the visitor's
//   mistake, so say so with a 400 before routing. Encoded or dotted paths get a plain 404.
// - Listings are paginated as ?page=N for readers, rewritten onto /<kind>/<slug>/page/N so every
//   page is a cacheable route of its own. Searches likewise: /search?q=…&page=… is rewritten onto
//   /search/<normalized query>/<page>/<shortened>, a path only the proxy writes.
// TODO(#4): redirect anonymous visitors away from /editor.

const LISTING = /^\/(section|tag|author)\/[^/]+$/;

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  // the image optimizer only ever resizes our own media; Next answers 500 to some hostile sources
  if (pathname === "/_next/image") {
    const source = searchParams.get("url") ?? "";
    return /^\/media\/[0-9a-f-]{36}(-\d{2,5})?\.(webp|jpg|png|avif|gif)$/.test(source)
      ? NextResponse.next()
      : badRequest("images can only be resized from /media/.");
  }
  try {
    decodeURIComponent(pathname);
  } catch {
    return badRequest("The address contains an invalid percent-encoding.");
  }
  if (/%00|[\u0000-\u001f]/i.test(pathname)) return badRequest("The address contains control characters.");
  // Our addresses are plain ASCII slugs: an encoded or dotted segment names nothing here. Answer it
  // before routing, so the not-found page never echoes a hostile path back (traversal probes etc.).
  if (/%|\.\.|\\/.test(pathname)) return notFound();

  const page = searchParams.has("page") ? pageNumber(searchParams.getAll("page")) : 1;
  if (!page) return badRequest("page must be a whole number from 1 to 10000.");
  if (LISTING.test(pathname) && searchParams.has("page")) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("page");
    if (page > 1) url.pathname = `${pathname}/page/${page}`;
    return NextResponse.rewrite(url);
  }
  if (pathname === "/search") {
    const url = request.nextUrl.clone();
    url.search = "";
    url.pathname = searchResultsPath(searchParams.get("q") ?? "", page);
    return NextResponse.rewrite(url);
  }
  if (pathname.startsWith("/search/")) return notFound();
  return NextResponse.next();
}

function pageNumber(values: string[]): number | null {
  const [value] = values;
  if (values.length !== 1 || !value || !/^[1-9]\d{0,4}$/.test(value)) return null;
  return Number(value) <= 10_000 ? Number(value) : null;
}

function notFound() {
  return new NextResponse("Not found: there is no page at this address.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function badRequest(message: string) {
  return new NextResponse(`Bad request: ${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export const config = {
  matcher: ["/((?!_next/static|favicon.ico).*)"],
};
