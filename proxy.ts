import { NextResponse, type NextRequest } from "next/server";

// Next.js answers 500 when it cannot percent-decode a path; a malformed address is the visitor's
// mistake, so say so with a 400 before routing. TODO(#4): redirect anonymous visitors away from /editor.
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  try {
    decodeURIComponent(path);
  } catch {
    return badRequest("The address contains an invalid percent-encoding.");
  }
  if (/%00|[\u0000-\u001f]/i.test(path)) return badRequest("The address contains control characters.");
  return NextResponse.next();
}

function badRequest(message: string) {
  return new NextResponse(`Bad request: ${message}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
