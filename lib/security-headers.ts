// Response headers for every page. Reader pages are cached and shared, so their policy cannot carry a
// per-request nonce: Next.js's inline hydration scripts need 'unsafe-inline', and everything else is
// shut: no plugins, no <base>, forms only to us, no framing by other sites, no eval.
// The editor (dynamic pages anyway) gets a per-request nonce policy from the proxy instead, and is
// never framed.

const readerPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

const commonHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
];

export const securityHeaders = [{ key: "Content-Security-Policy", value: readerPolicy }, ...commonHeaders];

/** The staff side's policy: scripts only with this request's nonce (Next adds it to its own). */
export function editorPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const editorHeaders = [...commonHeaders, { key: "X-Frame-Options", value: "DENY" }, { key: "Cache-Control", value: "private, no-store" }];
