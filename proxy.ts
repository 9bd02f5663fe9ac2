import { NextResponse, type NextRequest } from "next/server";
import { visitorOrigin } from "@/lib/http/origin";
import { searchResultsPath } from "@/lib/search/query-text";
import { editorHeaders, editorPolicy } from "@/lib/security-headers";

// Routing conveniences only, no data access:
// - Next.js answers 500 when it cannot percent-decode a path; a malformed address is the visitor's
//   mistake, so say so with a 400 before routing. Encoded or dotted paths get a plain 404.
// - Listings are paginated as ?page=N for readers, rewritten onto /<kind>/<slug>/page/N so every
//   page is a cacheable route of its own. Searches likewise: /search?q=…&page=… is rewritten onto
//   /search/<normalized query>/<page>/<shortened>, a path only the proxy writes.
// - The staff side: a cross-site or Origin-less form post or server action is refused with 403
//   (Next.js itself would answer 500); visitors without a session cookie are sent to sign-in, for
//   convenience only: every editor page, action and route checks the session itself (lib/auth).
//   Editor responses carry a per-request nonce Content-Security-Policy.
// - Reader pages only read: other methods get 405 before any rendering.

const LISTING = /^\/(section|tag|author)\/[^/]+$/;

const STAFF = /^\/(editor(\/|$)|api\/staff\/)/;
const PUBLIC_STAFF_PAGES = /^\/editor\/(sign-in|setup|welcome\/[A-Za-z0-9_-]+)\/?$/;
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  const unsafeMethod = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  if (unsafeMethod && (STAFF.test(pathname) || request.headers.has("next-action")) && !sameOrigin(request)) {
    return new NextResponse("Forbidden: this form can only be sent from the magazine's own pages.\n", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // reader pages only read: a POST would render a cached page afresh for nothing
  if (unsafeMethod && !STAFF.test(pathname) && !pathname.startsWith("/api/")) {
    return new NextResponse("Method not allowed: reader pages answer GET and HEAD.\n", { status: 405, headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" } });
  }
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

  // only listings and search are paged: elsewhere a stray ?page (a tracking link, a typo) is ignored
  const paged = LISTING.test(pathname) || pathname === "/search";
  const page = paged && searchParams.has("page") ? pageNumber(searchParams.getAll("page")) : 1;
  if (!page) return badRequest("page must be a whole number from 1 to 10000.");
  if (LISTING.test(pathname) && searchParams.has("page")) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("page");
    if (page > 1) url.pathname = `${pathname}/page/${page}`;
    return NextResponse.rewrite(url);
  }
  if (STAFF.test(pathname)) return staffResponse(request);
  if (pathname === "/search") {
    const url = request.nextUrl.clone();
    url.search = "";
    url.pathname = searchResultsPath(searchParams.get("q") ?? "", page);
    return NextResponse.rewrite(url);
  }
  if (pathname.startsWith("/search/")) return notFound();
  return NextResponse.next();
}

function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host === request.headers.get("host") || host === request.headers.get("x-forwarded-host");
}

function staffResponse(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const signedIn = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  if (!signedIn && request.method === "GET" && pathname.startsWith("/editor") && !PUBLIC_STAFF_PAGES.test(pathname)) {
    const url = new URL(`/editor/sign-in?next=${encodeURIComponent(`${pathname}${search}`.slice(0, 500))}`, visitorOrigin(request.headers, request.nextUrl.origin));
    const response = NextResponse.redirect(url, 307);
    response.headers.set("Cache-Control", "no-store");
    return response;
  }
  const nonce = btoa(crypto.randomUUID());
  const policy = editorPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy); // Next.js puts this nonce on its own scripts
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  for (const { key, value } of editorHeaders) response.headers.set(key, value);
  return response;
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
