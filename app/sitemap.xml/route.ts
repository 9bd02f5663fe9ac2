import { getSitemap, xmlResponse } from "@/lib/seo/sitemap";

export const revalidate = 600;

export async function GET() {
  return xmlResponse((await getSitemap(null))!);
}
