import "server-only";
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { getEnv } from "@/lib/env";
import { DomainError } from "@/lib/errors";

// Fetching a URL a person typed, from inside our network: without these checks a feed URL could
// reach the database, the cloud metadata service or an admin port (SSRF).

export type SafeFetchOptions = {
  /** Allow loopback, private and link-local addresses (IMPORT_ALLOW_PRIVATE_URLS; tests). */
  allowPrivate?: boolean;
  /** Total time for every redirect and the whole body. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  accept?: string;
};

export type Fetched = { url: string; status: number; contentType: string; body: Buffer };

export const SAFE_FETCH_DEFAULTS = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 3 } as const;

let testOverrides: SafeFetchOptions | null = null;

/** Test hook: defaults for every call (e.g. allow 127.0.0.1, a 1 s limit); null restores the real ones. */
export function setSafeFetchDefaultsForTests(overrides: SafeFetchOptions | null): void {
  testOverrides = overrides;
}

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
  // IPv6 addresses that carry an IPv4 one and can reach it through a gateway: NAT64 (well-known and
  // local-use prefixes), 6to4, Teredo
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["2002::", 16],
  ["2001::", 32],
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** Is this address one a server-side fetch must not reach? (IPv4-mapped IPv6 is checked as its IPv4.) */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // BlockList matches ::ffff:a.b.c.d against the IPv4 rules too
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

const refused = (message: string) => new DomainError(message, 400);

/** The URL's body, within the time and size limits, after checking every address it (or a redirect) leads to. */
export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<Fetched> {
  const settings = { ...SAFE_FETCH_DEFAULTS, allowPrivate: getEnv().IMPORT_ALLOW_PRIVATE_URLS, ...testOverrides, ...options };
  const signal = AbortSignal.timeout(settings.timeoutMs);
  let url = parseUrl(input);
  try {
    for (let redirects = 0; ; redirects++) {
      const target = await resolveTarget(url, settings.allowPrivate);
      const answer = await requestOnce(url, target, signal, settings.maxBytes, settings.accept);
      if ("location" in answer) {
        if (redirects >= settings.maxRedirects) throw new DomainError(`${url.host} redirected more than ${settings.maxRedirects} times.`, 502);
        url = parseUrl(new URL(answer.location, url).toString());
        continue;
      }
      return { url: url.toString(), ...answer };
    }
  } catch (error) {
    if (signal.aborted) throw new DomainError(`${url.host} did not answer within ${settings.timeoutMs / 1000} s.`, 504);
    if (error instanceof DomainError) throw error;
    throw new DomainError(`${url.host} could not be reached (${(error as NodeJS.ErrnoException).code ?? "connection failed"}).`, 502);
  }
}

function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw refused("That is not a URL: give one such as https://example.com/feed.xml.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw refused("Only http:// and https:// URLs can be fetched.");
  if (url.username || url.password) throw refused("URLs with a user name or password are not fetched.");
  return url;
}

type Target = { address: string; family: 4 | 6 };

/** Every address the host has must be public: a host with one private address is refused outright. */
async function resolveTarget(url: URL, allowPrivate: boolean): Promise<Target> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new DomainError(`The host ${host} could not be found.`, 502);
  }
  if (addresses.length === 0) throw new DomainError(`The host ${host} could not be found.`, 502);
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    throw refused(`${host} is a private, loopback or link-local address; only public addresses can be fetched.`);
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

type Answer = { location: string } | { status: number; contentType: string; body: Buffer };

/** One request, connected to the address already checked (a second DNS answer cannot swap it). */
function requestOnce(url: URL, target: Target, signal: AbortSignal, maxBytes: number, accept = "*/*"): Promise<Answer> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "GET",
        signal,
        headers: { Accept: accept, "User-Agent": "TopOneMagazine-Importer/1.0" },
        lookup: (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as (e: null, a: Target[]) => void)(null, [target]);
          else callback(null, target.address, target.family);
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.destroy();
          return resolve({ location });
        }
        if (status < 200 || status >= 300) {
          response.destroy();
          return reject(new DomainError(`${url.host} answered ${status} ${response.statusMessage ?? ""}`.trim() + ".", 502));
        }
        const tooLarge = () => new DomainError(`The document at ${url.host} is larger than ${maxBytes / 1024 / 1024} MB.`, 413);
        if (Number(response.headers["content-length"] ?? 0) > maxBytes) {
          reject(tooLarge());
          return response.destroy();
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.byteLength;
          // stop reading the moment the limit passes, whatever the server declared
          if (size > maxBytes) {
            // reject first: destroy() emits "aborted" at once
            reject(tooLarge());
            response.destroy();
          } else chunks.push(chunk);
        });
        response.on("end", () => resolve({ status, contentType: String(response.headers["content-type"] ?? ""), body: Buffer.concat(chunks) }));
        response.on("error", reject);
        response.on("aborted", () => reject(new Error("aborted")));
      },
    );
    request.on("error", reject);
    request.end();
  });
}
