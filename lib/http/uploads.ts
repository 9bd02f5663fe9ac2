import "server-only";
import { getStaffSessionOrOutage, SessionUncheckable, type StaffSession } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { MAX_UPLOAD_BYTES } from "@/lib/media/image";
import { plainError, seeOther } from "./forms";

// File uploads to staff endpoints: multipart bodies, bounded while they stream in.

// one image plus its form fields; next.config gives the proxy's body clone the same allowance
export const MAX_UPLOAD_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024;

export type Upload = { file: File | null; fields: Record<string, string> };

const tooLarge = () => new DomainError(`The upload is too large: images can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`, 413);

/** The posted file (field `file`) and text fields. Stops reading, and refuses, past the size limit. */
export async function readUpload(request: Request): Promise<Upload> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) throw new DomainError("Send the image as a file upload (multipart/form-data, in a field named “file”).", 415);
  if (Number(request.headers.get("content-length") ?? "0") > MAX_UPLOAD_REQUEST_BYTES) throw tooLarge();
  // a chunked body declares no length: count while reading
  let size = 0;
  const bounded = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > MAX_UPLOAD_REQUEST_BYTES) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  let form: FormData;
  try {
    form = await new Response(bounded ?? null, { headers: { "content-type": type } }).formData();
  } catch {
    if (size > MAX_UPLOAD_REQUEST_BYTES) throw tooLarge();
    throw new DomainError("The upload could not be read: it was interrupted or malformed. Try again.", 400);
  }
  const file = form.get("file");
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
  return { file: file instanceof File && (file.size > 0 || file.name) ? file : null, fields };
}

/**
 * The shape of a staff upload endpoint: a session (401), the caller's right (403) before any byte of
 * the body is read, then the work. Browsers posting a form (Accept: text/html) are sent back to
 * `backTo` with the message; scripts (the media library's uploader) get JSON with the real status.
 */
export async function handleStaffUpload(
  request: Request,
  options: { backTo: string; allowed: (staff: StaffSession) => boolean; refusal: string },
  work: (staff: StaffSession, upload: Upload, respond: Responder) => Promise<Response>,
): Promise<Response> {
  const wantsPage = (request.headers.get("accept") ?? "").includes("text/html");
  const respond = responder(wantsPage, options.backTo);
  const staff = await getStaffSessionOrOutage();
  if (staff instanceof SessionUncheckable) return respond.error(503, staff.message);
  if (!staff) return respond.error(401, "Sign in first: this needs a staff account.");
  if (!options.allowed(staff)) return respond.error(403, `You are not allowed to ${options.refusal}.`);
  try {
    return await work(staff, await readUpload(request), respond);
  } catch (error) {
    if (error instanceof DomainError) return respond.error(error.status, error.message);
    logError("staff upload failed", error, { backTo: options.backTo });
    return respond.error(503, "That could not be saved just now. Try again in a minute.");
  }
}

export type Responder = { error(status: number, message: string): Response; done(query: string, body: unknown, status?: number): Response };

function responder(wantsPage: boolean, backTo: string): Responder {
  const back = (query: string) => seeOther(`${backTo}${backTo.includes("?") ? "&" : "?"}${query}`);
  return {
    error(status, message) {
      if (wantsPage && status >= 400 && status < 500 && status !== 401 && status !== 403) return back(`error=${encodeURIComponent(message)}`);
      return wantsPage ? plainError(status, message) : Response.json({ error: message }, { status, headers: { "Cache-Control": "no-store" } });
    },
    done(query, body, status = 200) {
      return wantsPage ? back(query) : Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
    },
  };
}
