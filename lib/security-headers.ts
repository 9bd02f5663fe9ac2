// Response headers for every page. Reader pages are cached and shared, so their policy cannot carry a
// per-request nonce: Next.js's inline hydration scripts need 'unsafe-inline', and everything else is
// shut: no plugins, no <base>, forms only to us, no framing by other sites, no eval.
// TODO(#4): the editor gets a nonce-based policy and frame-ancestors 'none'.

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

export const securityHeaders = [
  { key: "Content-Security-Policy", value: readerPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
];
