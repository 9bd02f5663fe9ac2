import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

// The App Router's permanentRedirect() (an article's, section's or tag's old address) answers 308.
// For GET and HEAD, 301 means the same thing, is what the magazine promises for an old address, and
// is what every crawler and feed reader has understood longest. Other methods keep 308, whose point
// is that the method and body must not change.

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;
type WriteHead = (status: number, ...rest: unknown[]) => ServerResponse;

/**
 * Wraps the server's handler so a 308 to GET or HEAD goes out as 301. Put it outside the response
 * compression, which sends the status through the writeHead it finds (lib/http/compression.ts).
 */
export function withMovedPermanently(handler: Handler): Handler {
  return (req, res) => {
    if (req.method === "GET" || req.method === "HEAD") {
      const writeHead = res.writeHead.bind(res) as WriteHead;
      res.writeHead = function movedPermanently(status: number, ...rest: unknown[]) {
        return writeHead(status === 308 ? 301 : status, ...(rest as [OutgoingHttpHeaders?]));
      } as ServerResponse["writeHead"];
    }
    return handler(req, res);
  };
}
