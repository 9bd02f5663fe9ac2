// The address a request came from, as scripts/server.ts recorded it: the socket's peer, or with
// TRUST_PROXY the first X-Forwarded-For address a trusted reverse proxy passed on. Clients cannot
// forge it: the server overwrites the header on every request.
export const CLIENT_IP_HEADER = "x-magazine-client-ip";

export function clientIp(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) ?? headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "unknown";
}
