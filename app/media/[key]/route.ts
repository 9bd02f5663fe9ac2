import { readMedia } from "@/lib/media/serve";

type Context = { params: Promise<{ key: string }> };

export async function GET(_request: Request, { params }: Context) {
  const { key } = await params;
  const file = await readMedia(key);
  if (!file) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(file.bytes.byteLength),
      // keys are never reused, so a file can be cached forever
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
