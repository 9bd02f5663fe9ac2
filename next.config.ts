import path from "node:path";
import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and extension bundles relative to its own files; bundling breaks that.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // scripts/server.ts compresses instead, serving cached pages' gzip from memory (lib/http/compression)
  compress: false,
  async headers() {
    // media files carry their own stricter policy (sandboxed, no scripts), set by their route; the
    // staff side gets a nonce policy per request from proxy.ts
    return [{ source: "/((?!media/|editor$|editor/|api/staff/).*)", headers: securityHeaders }];
  },
  // the build checks the app; `npm test` type-checks everything, tests included
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // pages and cached queries live in memory, expired by tag from anywhere in the process (lib/cache)
  cacheHandler: path.resolve("lib/cache/next-cache-handler.cjs"),
  cacheMaxMemorySize: 0,
  // next/image resizes our own media only (the proxy enforces the same)
  images: { localPatterns: [{ pathname: "/media/**", search: "" }], formats: ["image/avif", "image/webp"] },
  typedRoutes: false,
  // the proxy sees a copy of each request body, cut at this size: room for one image upload
  // (lib/http/uploads.ts MAX_UPLOAD_REQUEST_BYTES, which the upload routes enforce themselves)
  experimental: { proxyClientMaxBodySize: 21 * 1024 * 1024 },
};

export default nextConfig;
