import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import zlib from "node:zlib";

// Response compression for the production server, in place of Next's own (next.config `compress:
// false`). Next gzips every response on every request, and for a cached page that is half its CPU.
// Here a cacheable response (an ETag, or Cache-Control public / s-maxage) is compressed once and its
// gzip kept in a small LRU keyed by URL and ETag (or a hash of the body), so cached pages, feeds and
// static chunks are served as stored bytes. Everything else (dynamic pages, streams) is gzipped as
// it streams.

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
type Callback = (error?: Error | null) => void;

const COMPRESSIBLE = /^(text\/|application\/(json|feed\+json|javascript|xml|rss\+xml|atom\+xml|ld\+json|manifest\+json)|image\/svg\+xml)/i;
const MIN_BYTES = 1024; // below this gzip's header overhead eats the gain

/**
 * The buffer itself when it owns exactly its bytes, else a copy that does. zlib.gzipSync returns a
 * view into a 16 kB chunk when the output is smaller, and small Buffers share an 8 kB pool: kept for
 * long, such a view holds all of that memory while counting only its own length.
 */
export function exactBuffer(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength) return buffer;
  const copy = Buffer.allocUnsafeSlow(buffer.byteLength);
  buffer.copy(copy);
  return copy;
}

/** Gzipped bodies by key, least recently used evicted past a byte budget. */
export class GzipCache {
  private entries = new Map<string, Buffer>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Buffer): void {
    if (value.byteLength > this.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.bytes -= old.byteLength;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.bytes += value.byteLength;
    for (const [oldest, buffer] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= buffer.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

// the coding named in Accept-Encoding, and not refused with q=0
const ACCEPTS = {
  gzip: /(^|[\s,])gzip(?!;\s*q=0(\.0*)?(\s|,|$))/i,
  br: /(^|[\s,])br(?!;\s*q=0(\.0*)?(\s|,|$))/i,
};

export function acceptsEncoding(req: IncomingMessage, encoding: keyof typeof ACCEPTS): boolean {
  const header = req.headers["accept-encoding"];
  return typeof header === "string" && ACCEPTS[encoding].test(header);
}

export function acceptsGzip(req: IncomingMessage): boolean {
  return acceptsEncoding(req, "gzip");
}

function appendVary(res: ServerResponse) {
  const vary = String(res.getHeader("vary") ?? "");
  if (!/accept-encoding|\*/i.test(vary)) res.setHeader("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
}

function toBuffer(chunk: unknown, encoding?: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
}

/** Wraps a request handler so that responses to clients accepting gzip are compressed (see above). */
export function withCompression(handler: Handler, cache = new GzipCache(64 * 1024 * 1024)): Handler {
  return (req, res) => {
    if (acceptsGzip(req)) compressResponse(req, res, cache);
    return handler(req, res);
  };
}

function compressResponse(req: IncomingMessage, res: ServerResponse, cache: GzipCache) {
  const originalWriteHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  const originalWrite = res.write.bind(res) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
  const originalEnd = res.end.bind(res) as (chunk?: unknown, encoding?: unknown, cb?: unknown) => ServerResponse;
  let mode: "pending" | "pass" | "buffer" | "stream" = "pending";
  const chunks: Buffer[] = [];
  let gzip: zlib.Gzip | undefined;

  // Headers stay unsent until the body's first bytes show what to do with it.
  res.writeHead = function writeHead(status: number, ...rest: unknown[]) {
    res.statusCode = status;
    if (typeof rest[0] === "string") res.statusMessage = rest.shift() as string;
    const headers = rest[0];
    if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1]);
    else if (headers && typeof headers === "object") for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value as string);
    return res;
  } as ServerResponse["writeHead"];

  const decide = () => {
    if (mode !== "pending") return;
    res.writeHead = originalWriteHead as ServerResponse["writeHead"];
    const type = String(res.getHeader("content-type") ?? "");
    const status = res.statusCode;
    if (req.method === "HEAD" || res.getHeader("content-encoding") || status < 200 || status === 204 || status === 304 || !COMPRESSIBLE.test(type)) {
      mode = "pass";
      originalWriteHead(status);
      return;
    }
    appendVary(res);
    const cacheControl = String(res.getHeader("cache-control") ?? "");
    const cacheable = status === 200 && (res.getHeader("etag") !== undefined || /\bs-maxage=|\bpublic\b/i.test(cacheControl)) && !/\bno-store\b/i.test(cacheControl);
    if (cacheable) {
      mode = "buffer";
      return;
    }
    mode = "stream";
    res.removeHeader("content-length");
    res.setHeader("Content-Encoding", "gzip");
    originalWriteHead(status);
    gzip = zlib.createGzip();
    gzip.on("data", (data: Buffer) => originalWrite(data));
    gzip.on("end", () => originalEnd());
    // Next flushes after each streamed chunk so a reader sees the page as it renders
    (res as ServerResponse & { flush?: () => void }).flush = () => gzip?.flush(zlib.constants.Z_SYNC_FLUSH);
  };

  const sendBuffered = (callback?: Callback) => {
    const body = Buffer.concat(chunks);
    if (body.byteLength < MIN_BYTES) {
      res.setHeader("Content-Length", body.byteLength);
      originalWriteHead(res.statusCode);
      originalEnd(body, callback);
      return;
    }
    const etag = res.getHeader("etag");
    const key = etag ? `${req.url}\n${String(etag)}` : createHash("sha1").update(body).digest("base64");
    let compressed = cache.get(key);
    if (!compressed) {
      compressed = exactBuffer(zlib.gzipSync(body));
      cache.set(key, compressed);
    }
    res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", compressed.byteLength);
    originalWriteHead(res.statusCode);
    originalEnd(compressed, callback);
  };

  res.write = function write(chunk: unknown, encoding?: unknown, cb?: unknown) {
    decide();
    const callback = (typeof encoding === "function" ? encoding : cb) as Callback | undefined;
    if (mode === "pass") return originalWrite(chunk, encoding, cb);
    if (mode === "buffer") chunks.push(toBuffer(chunk, encoding));
    else gzip!.write(toBuffer(chunk, encoding));
    if (callback) process.nextTick(callback);
    return true; // buffered in memory; the socket's backpressure applies when the gzip is written
  } as ServerResponse["write"];

  res.end = function end(chunk?: unknown, encoding?: unknown, cb?: unknown) {
    const callback = (typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : cb) as Callback | undefined;
    const data = typeof chunk === "function" ? undefined : chunk;
    decide();
    if (mode === "pass") return originalEnd(data, typeof encoding === "function" ? undefined : encoding, callback);
    if (data !== undefined && data !== null) {
      const buffer = toBuffer(data, encoding);
      if (mode === "buffer") chunks.push(buffer);
      else gzip!.write(buffer);
    }
    if (mode === "buffer") sendBuffered(callback);
    else {
      if (callback) res.once("finish", () => callback());
      gzip!.end();
    }
    return res;
  } as ServerResponse["end"];
}
