// The origin a visitor used: the Host (or a reverse proxy's X-Forwarded-Host) they sent, never a
// configured name, so links and redirects work on 127.0.0.1, localhost and behind a proxy alike.
// A Host that is not a plain host[:port] is ignored in favour of the fallback.

export function visitorOrigin(headers: Headers, fallback: string): string {
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "";
  const fallbackProto = fallback.startsWith("https:") ? "https" : "http";
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : fallbackProto;
  return /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host) ? `${proto}://${host}` : fallback;
}
