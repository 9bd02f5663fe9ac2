import { getEnv } from "@/lib/env";

/**
 * The public origin for absolute URLs (feeds, sitemap, canonical, Open Graph, JSON-LD). Cached pages
 * cannot depend on the request's Host, so production sets SITE_URL; a laptop gets localhost:PORT.
 * Links inside pages stay relative and work on any host name.
 */
export function siteOrigin(): string {
  const env = getEnv();
  return (env.SITE_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
}

export function absoluteUrl(path: string): string {
  return new URL(path, `${siteOrigin()}/`).toString();
}
