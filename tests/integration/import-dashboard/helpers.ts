import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import type { StaffSession } from "@/lib/auth/session";
import { makeStaff } from "../../fixtures/builders";

// Shared by the import dashboard tests: a stand-in session and a local HTTP server on 127.0.0.1.

export type Staff = Awaited<ReturnType<typeof makeStaff>>;

export const sessionOf = (staff: Staff): StaffSession => ({ id: staff.id, name: staff.name, email: `${staff.slug}@example.test`, role: staff.role, actor: { kind: "staff", id: staff.id, role: staff.role } });

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A server on 127.0.0.1 for this file; `routes` maps a path to its handler. Returns its base URL getter. */
export function useLocalServer(routes: Record<string, Handler>): () => string {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const handler = routes[new URL(request.url ?? "/", "http://x").pathname];
      if (handler) handler(request, response);
      else response.writeHead(404).end("not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return () => base;
}

export const xml = (body: string, type = "application/rss+xml"): Handler => (_request, response) => {
  response.writeHead(200, { "Content-Type": `${type}; charset=utf-8` }).end(body);
};
