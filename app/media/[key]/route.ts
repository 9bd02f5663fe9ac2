import { matchesIfNoneMatch, readMedia } from "@/lib/media/serve";

type Context = { params: Promise<{ key: string }> };

export async function GET(request: Request, { params }: Context) {
  const { key } = await params;
  const file = await readMedia(key);
  if (!file) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const headers = {
    // keys are never reused, so a file can be cached forever
    "Cache-Control": "public, max-age=31536000, immutable",
    ETag: file.etag,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  // a revalidating browser (a reload, a cache that ignores immutable) gets no bytes again
  if (matchesIfNoneMatch(request.headers.get("if-none-match"), file.etag)) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(file.bytes), {
    headers: { ...headers, "Content-Type": file.mimeType, "Content-Length": String(file.bytes.byteLength) },
  });
}
