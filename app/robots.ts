import type { MetadataRoute } from "next";
import { absoluteUrl } from "@/lib/seo/site-url";

export const dynamic = "force-dynamic"; // SITE_URL is read at run time, not baked in at build

export default function robots(): MetadataRoute.Robots {
  return {
    rules: [{ userAgent: "*", allow: "/", disallow: ["/editor", "/api/"] }],
    sitemap: absoluteUrl("/sitemap.xml"),
  };
}
