import "server-only";

// Helpers for the staff side's HTML form endpoints (route handlers, so they can answer 303, 413 or 429).

export const MAX_FORM_BYTES = 16 * 1024;

export class FormTooLarge extends Error {}

/** The body as bytes; stops reading, and refuses (FormTooLarge), as soon as it passes the limit. */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw new FormTooLarge();
  // a chunked body declares no length: count while reading rather than buffer it all first
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    size += part.value.byteLength;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new FormTooLarge();
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}

/** The posted fields as strings; stops reading, and refuses, as soon as the body passes the limit. */
export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<Record<string, string>> {
  const body = await readBody(request, maxBytes);
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return {};
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}

/** Scripts (the article editor) ask for JSON; browsers posting a form ask for a page. */
export function wantsJson(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("application/json");
}

/** The posted fields, or the 413 response to send when the form is over the limit. */
export async function readFormOrRefuse(request: Request): Promise<Record<string, string> | Response> {
  try {
    return await readForm(request);
  } catch (error) {
    if (error instanceof FormTooLarge) return tooLarge();
    throw error;
  }
}

/** A 303 to a path on the host the visitor used (a relative Location: no host is ever assumed). */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { Location: path, "Cache-Control": "no-store" } });
}

export function plainError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

export function tooLarge(): Response {
  return plainError(413, "The form is too large. Shorten what you typed and send it again.");
}

/** The one-time link just made, kept for the staff page to show once (a short-lived HttpOnly cookie). */
export const STAFF_LINK_COOKIE = "staff-link";

export function seeOtherWithStaffLink(path: string, link: string): Response {
  const response = seeOther(path);
  if (!/^\/editor\/welcome\/[A-Za-z0-9_-]+$/.test(link)) throw new Error("not a staff link path");
  response.headers.append("Set-Cookie", `${STAFF_LINK_COOKIE}=${link}; Path=/editor/staff; Max-Age=300; HttpOnly; SameSite=Strict`);
  return response;
}
