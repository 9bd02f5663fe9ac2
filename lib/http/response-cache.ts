import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { acceptsGzip, exactBuffer } from "./compression";

// The production server's front door for cached reader pages. A page Next served from its page
// cache (or rendered and stored there) is kept as the bytes that went out: status, headers and the
// (gzipped) body. The next identical request is answered from memory without entering Next: its
// routing, the proxy, the cache handler and the response pipeline are most of what a cached page
// costs. Freshness is the page cache's own: any tag expiry in this process (a mutation here, or
// another instance's arriving through NOTIFY or Redis) bumps a generation that empties this cache
// at once, and an entry lives at most `maxAgeMs`, so Next's time-based revalidation still runs.
//
// Only what every reader gets alike is kept: GETs without cookies (staff, previews), without the
// router's RSC headers, conditional or range requests, and answers Next marks as shared-cacheable
// (s-maxage) pages it served fresh (x-nextjs-cache HIT or MISS, never STALE).

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
type Stored = { status: number; headers: OutgoingHttpHeaders; body: Buffer; storedAt: number; generation: number };

export type ResponseCacheOptions = {
  /** Changes whenever any cached page may have gone stale (see lib/cache/next-cache-handler.cjs). */
  generation: () => number;
  maxBytes?: number;
  maxAgeMs?: number;
  now?: () => number;
};

const BYPASS_HEADERS = ["cookie", "authorization", "rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action", "range", "if-none-match", "if-modified-since"];
// hop-by-hop or per-response: Node writes its own
const NOT_REPLAYED = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

function servable(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !req.url || /^\/(api|editor|_next|media)(\/|$)/.test(req.url) || /[?&]_rsc=/.test(req.url)) return false;
  return !BYPASS_HEADERS.some((name) => req.headers[name] !== undefined);
}

function storable(res: ServerResponse): boolean {
  const cacheControl = String(res.getHeader("cache-control") ?? "");
  return res.statusCode === 200 && /^(HIT|MISS)$/.test(String(res.getHeader("x-nextjs-cache") ?? "")) && /\bs-maxage=/.test(cacheControl) && !/\b(private|no-store)\b/.test(cacheControl) && !res.hasHeader("set-cookie");
}

const cacheKey = (req: IncomingMessage) => `${acceptsGzip(req) ? "gzip" : "identity"} ${req.url}`;

export class ResponseCache {
  private entries = new Map<string, Stored>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  constructor(private readonly options: ResponseCacheOptions) {
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The stored answer for this request, if still fresh (most recently used goes last). */
  lookup(key: string): Stored | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.forget(key);
    if (entry.generation !== this.options.generation() || this.now() - entry.storedAt > this.maxAgeMs) return undefined;
    this.remember(key, entry);
    return entry;
  }

  store(key: string, entry: Stored): void {
    if (entry.body.byteLength > this.maxBytes / 8) return;
    this.forget(key);
    this.remember(key, entry);
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  private remember(key: string, entry: Stored) {
    this.entries.set(key, entry);
    this.bytes += entry.body.byteLength;
  }

  private forget(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.body.byteLength;
  }

  /** Wraps a request handler (the compressing one: what is kept is what went out). */
  wrap(handler: Handler): Handler {
    return (req, res) => {
      if (!servable(req)) return handler(req, res);
      const key = cacheKey(req);
      const hit = this.lookup(key);
      if (hit) {
        // kept from a render (MISS) or a page-cache hit alike: from here it is a cached answer
        res.writeHead(hit.status, { ...hit.headers, "x-nextjs-cache": "HIT", "x-response-cache": "HIT" });
        res.end(hit.body);
        return;
      }
      this.record(key, res);
      return handler(req, res);
    };
  }

  /** Collects what the handler sends, and keeps it if it may be replayed (see the top of this file). */
  private record(key: string, res: ServerResponse) {
    const generation = this.options.generation();
    const chunks: Buffer[] = [];
    const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
    const write = res.write.bind(res) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;
    const end = res.end.bind(res) as (chunk?: unknown, encoding?: unknown, cb?: unknown) => ServerResponse;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    res.writeHead = function (status: number, ...rest: unknown[]) {
      // headers given here are set first, so getHeaders() sees all of them when the answer ends
      const headers = typeof rest[0] === "string" ? rest[1] : rest[0];
      if (Array.isArray(headers)) for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1]);
      else if (headers && typeof headers === "object") for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value as string);
      return writeHead(status);
    } as ServerResponse["writeHead"];
    res.write = function (chunk: unknown, encoding?: unknown, cb?: unknown) {
      keep(chunk, encoding);
      return write(chunk, encoding, cb);
    } as ServerResponse["write"];
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      keep(chunk, encoding);
      // a tag expired while this page was served: it may be the old one
      if (storable(res) && generation === this.options.generation()) {
        const headers = Object.fromEntries(Object.entries(res.getHeaders()).filter(([name]) => !NOT_REPLAYED.has(name)));
        this.store(key, { status: res.statusCode, headers, body: exactBuffer(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)), storedAt: this.now(), generation });
      }
      return end(chunk, encoding, cb);
    }) as ServerResponse["end"];
  }
}
