import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { staffEndpoints } from "@/lib/auth/endpoints";
import { can, type Role } from "@/lib/auth/permissions";

// Walks app/ for every staff page and route handler (and each operation of a route that dispatches
// on an [operation] segment) and requires an entry in lib/auth/endpoints.ts, so a new staff route
// cannot ship without its access rule, and the end-to-end matrix (tests/e2e/staff-auth.spec.ts)
// covers it.
const appDir = path.join(process.cwd(), "app");

function filesUnder(dir: string, name: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, name) : entry.name === name ? [full] : [];
  });
}

const routePath = (file: string) => `/${path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;

function discoveredEndpoints(): string[] {
  const pages = filesUnder(path.join(appDir, "editor"), "page.tsx").map((file) => `GET ${routePath(file)}`);
  const routes = [...filesUnder(path.join(appDir, "editor"), "route.ts"), ...filesUnder(path.join(appDir, "api", "staff"), "route.ts")].flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    const methods = [...source.matchAll(/export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
    const base = routePath(file);
    if (!base.endsWith("/[operation]")) return methods.map((method) => `${method} ${base}`);
    const operations = [...source.matchAll(/case "([a-z-]+)":/g)].map((m) => m[1]!);
    return methods.flatMap((method) => operations.map((operation) => `${method} ${base.replace("[operation]", operation)}`));
  });
  return [...pages, ...routes].sort();
}

describe("the staff endpoint list", () => {
  it("names every staff page, route handler and operation in app/, and nothing that is not there", () => {
    const found = discoveredEndpoints();
    expect(found.length).toBeGreaterThan(10);
    expect(found).toEqual(Object.keys(staffEndpoints).sort());
  });

  it("uses only capabilities from the table, so access follows the roles there", () => {
    const roles: Role[] = ["admin", "editor", "writer"];
    for (const [endpoint, access] of Object.entries(staffEndpoints)) {
      if (access === "public" || access === "signed-in") continue;
      const capability = access.replace(/^self-or-/, "") as Parameters<typeof can>[1];
      const allowed = roles.filter((role) => can({ kind: "staff", id: "x", role }, capability));
      expect(allowed.length, endpoint).toBeGreaterThan(0);
      expect(allowed, endpoint).toContain("admin");
    }
  });
});
