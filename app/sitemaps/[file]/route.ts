import { notFound } from "next/navigation";
import { getSitemap, xmlResponse } from "@/lib/seo/sitemap";

export const revalidate = 600;
export const dynamicParams = true;
export function generateStaticParams() {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const match = /^(\d{1,4})\.xml$/.exec((await params).file);
  const xml = match ? await getSitemap(Number(match[1])) : null;
  if (!xml) notFound();
  return xmlResponse(xml);
}
