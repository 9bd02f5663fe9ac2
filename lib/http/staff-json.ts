import "server-only";
import { StaleVersionError } from "@/lib/articles/editing";
import { DomainError, ValidationError } from "@/lib/errors";
import { logError } from "@/lib/log";

// JSON answers for the article editor's requests: the real status and a message a person can act
// on; a stale save carries the current copy for the conflict view.

const noStore = { "Cache-Control": "no-store" };

export function jsonOk(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: noStore });
}

export function jsonError(error: unknown, context: Record<string, unknown> = {}): Response {
  if (error instanceof StaleVersionError) return Response.json({ error: error.message, current: error.current }, { status: 409, headers: noStore });
  if (error instanceof ValidationError) return Response.json({ error: error.message, fields: error.fieldErrors }, { status: 400, headers: noStore });
  if (error instanceof DomainError) return Response.json({ error: error.message }, { status: error.status, headers: noStore });
  logError("article request failed", error, context);
  return Response.json({ error: "That could not be saved just now: the server or its database is unavailable. Your text is kept in this browser; it will be saved when the server is back." }, { status: 503, headers: noStore });
}
